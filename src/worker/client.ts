/**
 * WorkerTrainerClient: the main-thread side of the training worker.
 *
 * Owns one module Worker running `trainer.worker.ts`, sends typed ToWorker requests with
 * incrementing ids and fans every FromWorker message out to subscribers. Worker `error` and
 * `messageerror` events (a crash, a script that fails to load, an unreadable message) are turned
 * into ordinary FromWorker `error` messages with a hint, so the UI has one error path.
 * Must not import: tfjs, React, zustand, anything from core/ except types.
 */
import type { BackendName, RunConfig } from '../core/config/runConfig';
import type { FromWorker, ToWorker } from './protocol';

/** `error.name` of the FromWorker error the client emits when the worker itself dies. */
export const WORKER_CRASH_ERROR_NAME = 'WorkerCrashError';

/** `error.name` of the FromWorker error emitted for a message that could not be deserialized. */
export const WORKER_MESSAGE_ERROR_NAME = 'WorkerMessageError';

/** Receives every message from the worker, plus the client's own crash reports. */
export type WorkerListener = (msg: FromWorker) => void;

/** The commands the UI sends; each returns the request id the worker echoes in `ack`/`error`. */
export interface TrainerCommands {
  init(backend: BackendName): number;
  start(config: RunConfig, maxSteps?: number): number;
  pause(): number;
  resume(): number;
  stop(): number;
  evaluate(): number;
  /** Trains a fresh linear probe on the current backbone (answered by `offlineProbe`). */
  linearProbe(): number;
  /** Takes the next step of a paused run explained (answered by `explained`). */
  explainStep(): number;
  /** Exports the run as a `.safetensors` checkpoint (answered by an `exported` message). */
  exportCheckpoint(): number;
  /** Exports the backbone as a tfjs LayersModel (model.json + weights). */
  exportBackbone(): number;
  /** Loads checkpoint file bytes (transferred: `bytes` is unusable afterwards) as a paused run. */
  loadCheckpointFile(name: string, bytes: ArrayBuffer, maxSteps?: number): number;
  /** Loads an autosave as a paused run. */
  loadAutosave(runId: string, maxSteps?: number): number;
  listAutosaves(): number;
  deleteAutosave(runId: string): number;
  /** Starts a twin run of `config` (HVP off and on, alternately; answered by `twinState` messages). */
  twinStart(config: RunConfig, maxSteps?: number): number;
  twinPause(): number;
  twinResume(): number;
  twinStop(): number;
}

/** Creates the real training worker (an ES-module worker bundled by Vite). */
export function createTrainerWorker(): Worker {
  return new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module', name: 'hvp-trainer' });
}

/** Main-thread proxy of the training worker. */
export class WorkerTrainerClient implements TrainerCommands {
  private readonly listeners = new Set<WorkerListener>();
  private worker: Worker | null = null;
  private nextId = 1;
  /** The crash report, replayed to late subscribers so nobody misses that the worker is gone. */
  private crash: FromWorker | null = null;
  private isTerminated = false;

  /** @param createWorker factory for the Worker; tests pass a fake. */
  constructor(createWorker: () => Worker = createTrainerWorker) {
    try {
      this.worker = createWorker();
    } catch (e) {
      this.fail(`could not create the worker (${describe(e)})`);
      return;
    }
    this.worker.addEventListener('message', this.onMessage);
    this.worker.addEventListener('error', this.onError);
    this.worker.addEventListener('messageerror', this.onMessageError);
  }

  /** Whether the worker has crashed or been terminated; requests then only produce errors. */
  get isDead(): boolean {
    return this.crash !== null || this.isTerminated;
  }

  /** Starts the preferred backend (with fallback) before any run, so the page can show it. */
  init(backend: BackendName): number {
    const id = this.nextId++;
    this.post({ type: 'init', id, backend });
    return id;
  }

  /** Starts a run with `config`; `maxSteps` stops it early (used by tests and `?maxSteps=`). */
  start(config: RunConfig, maxSteps?: number): number {
    const id = this.nextId++;
    this.post(maxSteps === undefined ? { type: 'start', id, config } : { type: 'start', id, config, maxSteps });
    return id;
  }

  /** Pauses the running run after the current step. */
  pause(): number {
    return this.send('pause');
  }

  /** Resumes a paused run. */
  resume(): number {
    return this.send('resume');
  }

  /** Stops the run; it cannot be resumed afterwards. */
  stop(): number {
    return this.send('stop');
  }

  /** Asks for a kNN evaluation now, outside the `knnEvery` schedule. */
  evaluate(): number {
    return this.send('evaluate');
  }

  linearProbe(): number {
    return this.send('linearProbe');
  }

  explainStep(): number {
    return this.send('explainStep');
  }

  exportCheckpoint(): number {
    return this.send('exportCheckpoint');
  }

  exportBackbone(): number {
    return this.send('exportBackbone');
  }

  loadCheckpointFile(name: string, bytes: ArrayBuffer, maxSteps?: number): number {
    const id = this.nextId++;
    const source = { kind: 'file' as const, name, bytes };
    this.post(maxSteps === undefined ? { type: 'loadCheckpoint', id, source } : { type: 'loadCheckpoint', id, source, maxSteps }, [bytes]);
    return id;
  }

  loadAutosave(runId: string, maxSteps?: number): number {
    const id = this.nextId++;
    const source = { kind: 'autosave' as const, runId };
    this.post(maxSteps === undefined ? { type: 'loadCheckpoint', id, source } : { type: 'loadCheckpoint', id, source, maxSteps });
    return id;
  }

  listAutosaves(): number {
    return this.send('listAutosaves');
  }

  deleteAutosave(runId: string): number {
    const id = this.nextId++;
    this.post({ type: 'deleteAutosave', id, runId });
    return id;
  }

  twinStart(config: RunConfig, maxSteps?: number): number {
    const id = this.nextId++;
    this.post(maxSteps === undefined ? { type: 'twinStart', id, config } : { type: 'twinStart', id, config, maxSteps });
    return id;
  }

  twinPause(): number {
    return this.send('twinPause');
  }

  twinResume(): number {
    return this.send('twinResume');
  }

  twinStop(): number {
    return this.send('twinStop');
  }

  /** Adds a listener; returns the function that removes it. A crash that already happened is
   * delivered to the new listener on the next microtask. */
  subscribe(listener: WorkerListener): () => void {
    this.listeners.add(listener);
    const crash = this.crash;
    if (crash) queueMicrotask(() => { if (this.listeners.has(listener)) listener(crash); });
    return () => { this.listeners.delete(listener); };
  }

  /** Kills the worker (a running step is abandoned) and drops all listeners. */
  terminate(): void {
    if (this.isTerminated) return;
    this.isTerminated = true;
    if (this.worker) {
      this.worker.removeEventListener('message', this.onMessage);
      this.worker.removeEventListener('error', this.onError);
      this.worker.removeEventListener('messageerror', this.onMessageError);
      this.worker.terminate();
      this.worker = null;
    }
    this.listeners.clear();
  }

  private send(type: 'pause' | 'resume' | 'stop' | 'evaluate' | 'linearProbe' | 'explainStep' | 'exportCheckpoint' | 'exportBackbone' | 'listAutosaves' | 'twinPause' | 'twinResume' | 'twinStop'): number {
    const id = this.nextId++;
    this.post({ type, id });
    return id;
  }

  private post(msg: ToWorker, transfer: Transferable[] = []): void {
    if (this.isTerminated) return;
    // Errors about a request are emitted on a microtask, like a worker reply, so the caller can
    // record the request id before its answer arrives.
    if (!this.worker || this.crash) {
      this.emitSoon({
        type: 'error', id: msg.id, isFatal: true,
        error: { name: WORKER_CRASH_ERROR_NAME, message: `Cannot send "${msg.type}": the training worker is not running.` },
        hint: 'Reload the page to start a new training worker.',
      });
      return;
    }
    try {
      this.worker.postMessage(msg, transfer);
    } catch (e) {
      // A config that cannot be structured-cloned is a bug on our side, not a crash of the worker.
      this.emitSoon({
        type: 'error', id: msg.id, isFatal: false,
        error: { name: 'DataCloneError', message: `Could not send "${msg.type}" to the worker: ${describe(e)}` },
        hint: 'This is a bug in the app; please report it with the settings you used.',
      });
    }
  }

  private readonly onMessage = (event: MessageEvent<unknown>): void => {
    const data = event.data;
    if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string') {
      this.emit({
        type: 'log', level: 'warn',
        message: `Ignored a malformed message from the training worker: ${describe(data)}`,
      });
      return;
    }
    this.emit(data as FromWorker);
  };

  private readonly onError = (event: Event): void => {
    event.preventDefault?.();
    const e = event as Partial<ErrorEvent>;
    const where = e.filename ? ` (${e.filename}${e.lineno ? `:${e.lineno}` : ''})` : '';
    const what = e.message ? `${e.message}${where}` : 'the worker script failed to load or threw before reporting an error';
    this.fail(what);
  };

  private readonly onMessageError = (): void => {
    this.emit({
      type: 'error', isFatal: false,
      error: { name: WORKER_MESSAGE_ERROR_NAME, message: 'A message from the training worker could not be read (deserialization failed).' },
      hint: 'The run continues; reload the page if the charts stop updating.',
    });
  };

  private fail(what: string): void {
    if (this.crash) return;
    this.crash = {
      type: 'error', isFatal: true,
      error: { name: WORKER_CRASH_ERROR_NAME, message: `The training worker crashed: ${what}` },
      hint: 'The training worker crashed; reload the page to start again. Settings are kept in the address bar.',
    };
    this.emit(this.crash);
  }

  private emitSoon(msg: FromWorker): void {
    queueMicrotask(() => this.emit(msg));
  }

  private emit(msg: FromWorker): void {
    for (const listener of [...this.listeners]) listener(msg);
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return String(value);
  }
}

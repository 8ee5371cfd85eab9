/**
 * DatasetWorkerClient: the main-thread side of the dataset worker (import, list, delete).
 *
 * Owns one module Worker running `dataset.worker.ts`, sends typed requests with incrementing ids
 * and fans every answer out to subscribers. A crash of the worker (a script error, a failed load)
 * becomes an ordinary `error` message; the next request starts a fresh worker, so one bad import
 * never leaves the page without imports. The training worker is a different worker and is never
 * affected.
 * Must not import: tfjs, React, zustand, anything from core/ except types.
 */
import { DATASET_PROTOCOL_VERSION, type FromDatasetWorker, type ImportFile, type ToDatasetWorker } from './datasetProtocol';
import { LazyWorker } from './lazyWorker';

/** `error.name` of the message emitted when the dataset worker dies. */
export const DATASET_WORKER_CRASH_ERROR_NAME = 'DatasetWorkerCrashError';

/** The requests the UI sends; each returns the request id echoed by the answer. */
export interface DatasetCommands {
  /** Decodes `files` into a stored set of `imageSize` × `imageSize` images. */
  importFiles(files: ImportFile[], imageSize: number): number;
  /** Asks for the list of stored sets (answered with `datasets`). */
  list(): number;
  /** Deletes a stored set (answered with `deleted`, then a fresh `datasets`). */
  remove(datasetId: string): number;
}

/** Receives every message of the dataset worker, plus the client's own crash reports. */
export type DatasetListener = (msg: FromDatasetWorker) => void;

/** Creates the real dataset worker (an ES-module worker bundled by Vite). */
export function createDatasetWorker(): Worker {
  return new Worker(new URL('./dataset.worker.ts', import.meta.url), { type: 'module', name: 'hvp-datasets' });
}

/** Main-thread proxy of the dataset worker. */
export class DatasetWorkerClient implements DatasetCommands {
  private readonly listeners = new Set<DatasetListener>();
  private readonly lazy: LazyWorker;
  private nextId = 1;
  private isTerminated = false;

  /** @param createWorker factory for the Worker; tests pass a fake. */
  constructor(createWorker: () => Worker = createDatasetWorker) {
    // After the field initializers, so the listeners exist.
    this.lazy = new LazyWorker(createWorker, { message: this.onMessage, error: this.onError, messageerror: this.onMessageError });
  }

  importFiles(files: ImportFile[], imageSize: number): number {
    return this.post((id) => ({ type: 'import', id, files, imageSize }));
  }

  list(): number {
    return this.post((id) => ({ type: 'list', id }));
  }

  remove(datasetId: string): number {
    return this.post((id) => ({ type: 'delete', id, datasetId }));
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: DatasetListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Kills the worker (an import in progress is abandoned) and drops all listeners. */
  terminate(): void {
    this.isTerminated = true;
    this.lazy.drop();
    this.listeners.clear();
  }

  private post(make: (id: number) => ToDatasetWorker): number {
    const id = this.nextId++;
    if (this.isTerminated) return id;
    const msg = make(id);
    try {
      this.lazy.get().postMessage(msg);
    } catch (e) {
      // Answer on a microtask, like the worker would, so the caller can record the id first.
      queueMicrotask(() => this.emit({
        type: msg.type === 'import' ? 'importFailed' : 'error', id,
        error: { name: DATASET_WORKER_CRASH_ERROR_NAME, message: `Could not reach the dataset worker: ${e instanceof Error ? e.message : String(e)}` },
        hint: 'Reload the page. Training with the built-in dataset still works.',
        ...(msg.type === 'import' ? { skipped: [] } : {}),
      } as FromDatasetWorker));
    }
    return id;
  }


  private readonly onMessage = (event: MessageEvent<unknown>): void => {
    const data = event.data as FromDatasetWorker | null;
    if (typeof data !== 'object' || data === null || typeof data.type !== 'string') return;
    if (data.type === 'ready' && data.protocolVersion !== DATASET_PROTOCOL_VERSION) {
      this.lazy.drop();
      this.emit({
        type: 'error', id: null,
        error: { name: 'ProtocolMismatchError', message: `The dataset worker speaks protocol version ${data.protocolVersion}, but this page expects version ${DATASET_PROTOCOL_VERSION}.` },
        hint: 'An outdated copy of the app is cached; reload the page (Shift+Reload).',
      });
      return;
    }
    this.emit(data);
  };

  private readonly onError = (event: Event): void => {
    event.preventDefault?.();
    const e = event as Partial<ErrorEvent>;
    this.lazy.drop();
    this.emit({
      type: 'error', id: null,
      error: { name: DATASET_WORKER_CRASH_ERROR_NAME, message: `The dataset worker crashed: ${e.message || 'its script failed to load or threw before reporting an error'}.` },
      hint: 'An import in progress was abandoned; stored datasets and the training are unaffected. Try again; the next request starts a new dataset worker.',
    });
  };

  private readonly onMessageError = (): void => {
    this.emit({
      type: 'error', id: null,
      error: { name: 'DatasetMessageError', message: 'A message from the dataset worker could not be read.' },
      hint: 'Reload the page if the dataset list looks wrong.',
    });
  };

  private emit(msg: FromDatasetWorker): void {
    for (const l of [...this.listeners]) l(msg);
  }
}

/**
 * AnalysisWorkerClient: the main-thread side of the analysis worker (analysis.worker.ts), as
 * promises — parseFile, lossDrivers, choice, exportLog each resolve with their answer or reject with
 * an AnalysisRequestError (message + hint) — one answer per request id. The worker starts on the
 * first request. A crash of the worker (a script error, a failed load, a protocol mismatch) rejects
 * every pending request and drops the worker; the next request starts a fresh one (a loaded file is
 * then gone, and its requests say so). The training worker is a different worker and never affected.
 * Also re-exports what the page needs of the protocol (the page imports only this file of the
 * analysis worker's, STYLE.md layer rules).
 * Must not import: tfjs, React, zustand, anything from core/ except types.
 */
import { ANALYSIS_PROTOCOL_VERSION, type AnalysisSource, type FromAnalysisWorker, type ImportanceMethod, type ToAnalysisWorker } from './analysisProtocol';
import { LazyWorker } from './lazyWorker';

export { MAX_VIEW_LOG_FILE_BYTES } from './analysisProtocol';
export type { AnalysisSource, ChoicePredictabilityResult, ForestSettings, ImportanceMethod, LossDriversResult, PaperFeature, ViewLogRow, ViewLogSummary } from './analysisProtocol';

/** `name` of the error a request rejects with when the worker died or could not be reached. */
export const ANALYSIS_WORKER_CRASH_ERROR_NAME = 'AnalysisWorkerCrashError';

/** A failed analysis request: `name` is the worker-side error's (e.g. ViewLogParseError), `hint` what to do. */
export class AnalysisRequestError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

type Answer = Exclude<FromAnalysisWorker, { type: 'ready' | 'error' }>;
type AnswerOf<K extends Answer['type']> = Extract<Answer, { type: K }>;

interface Pending {
  expect: Answer['type'];
  resolve: (msg: Answer) => void;
  reject: (e: AnalysisRequestError) => void;
}

/** Creates the real analysis worker (an ES-module worker bundled by Vite). */
export function createAnalysisWorker(): Worker {
  return new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'hvp-analysis' });
}

/** Main-thread proxy of the analysis worker. */
export class AnalysisWorkerClient {
  private readonly lazy: LazyWorker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** @param createWorker factory for the Worker; tests pass a fake. */
  constructor(createWorker: () => Worker = createAnalysisWorker) {
    // After the field initializers, so the listeners exist.
    this.lazy = new LazyWorker(createWorker, { message: this.onMessage, error: this.onError, messageerror: this.onMessageError });
  }

  /** Reads a view-log file in the worker (which keeps its rows); resolves with its summary. */
  async parseFile(data: Blob | ArrayBuffer | string, name: string) {
    return (await this.request('parsed', (id) => ({ type: 'parseFile', id, name, data }))).summary;
  }

  /** What drives the loss: feature shares, the paper's Fig. 8 beside them, the forest's settings. */
  async lossDrivers(source: AnalysisSource, method: ImportanceMethod) {
    const { result, features, forest } = await this.request('lossDrivers', (id) => ({ type: 'lossDrivers', id, source, method }));
    return { result, features, forest };
  }

  /** Can the choice be predicted: held-out accuracy vs chance. */
  async choice(source: AnalysisSource) {
    return (await this.request('choice', (id) => ({ type: 'choice', id, source }))).result;
  }

  /** The rows as a CSV or JSON Lines file's text. */
  async exportLog(source: AnalysisSource, format: 'csv' | 'jsonl') {
    const { text, numRows } = await this.request('exported', (id) => ({ type: 'export', id, source, format }));
    return { text, numRows };
  }

  /** Kills the worker; pending requests reject. */
  terminate(): void {
    this.lazy.drop();
    this.rejectAll('The analysis worker was closed.', 'Reopen the page to analyse again.');
  }

  private request<K extends Answer['type']>(expect: K, make: (id: number) => ToAnalysisWorker): Promise<AnswerOf<K>> {
    const id = this.nextId++;
    return new Promise<AnswerOf<K>>((resolve, reject) => {
      this.pending.set(id, { expect, resolve: resolve as (msg: Answer) => void, reject });
      try {
        this.lazy.get().postMessage(make(id));
      } catch (e) {
        this.pending.delete(id);
        reject(new AnalysisRequestError(ANALYSIS_WORKER_CRASH_ERROR_NAME, `Could not reach the analysis worker: ${e instanceof Error ? e.message : String(e)}`, 'Reload the page and try again.'));
      }
    });
  }


  private rejectAll(message: string, hint: string): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(new AnalysisRequestError(ANALYSIS_WORKER_CRASH_ERROR_NAME, message, hint));
  }

  private readonly onMessage = (event: MessageEvent<unknown>): void => {
    const data = event.data as FromAnalysisWorker | null;
    if (typeof data !== 'object' || data === null || typeof data.type !== 'string') return;
    if (data.type === 'ready') {
      if (data.protocolVersion === ANALYSIS_PROTOCOL_VERSION) return;
      this.lazy.drop();
      this.rejectAll(`The analysis worker speaks protocol version ${data.protocolVersion}, but this page expects version ${ANALYSIS_PROTOCOL_VERSION}.`, 'An outdated copy of the app is cached; reload the page (Shift+Reload).');
      return;
    }
    if (data.id === null) {
      if (data.type === 'error') this.rejectAll(data.error.message, data.hint);
      return;
    }
    const p = this.pending.get(data.id);
    if (!p) return;
    this.pending.delete(data.id);
    if (data.type === 'error') p.reject(new AnalysisRequestError(data.error.name, data.error.message, data.hint));
    else if (data.type !== p.expect) p.reject(new AnalysisRequestError('ProtocolError', `The analysis worker answered "${data.type}" to a request for "${p.expect}".`, 'Reload the page: the analysis worker and the page are from different versions.'));
    else p.resolve(data);
  };

  private readonly onError = (event: Event): void => {
    event.preventDefault?.();
    const e = event as Partial<ErrorEvent>;
    this.lazy.drop();
    this.rejectAll(
      `The analysis worker crashed: ${e.message || 'its script failed to load or threw before reporting an error'}.`,
      'Try again; the next request starts a new analysis worker (load a view log again). The run is unaffected. A very large log may have run out of memory: load a smaller part.',
    );
  };

  private readonly onMessageError = (): void => {
    this.lazy.drop();
    this.rejectAll('A message from the analysis worker could not be read.', 'Try again; the next request starts a new analysis worker.');
  };
}

/**
 * The lifecycle the page-side worker clients share (datasetClient.ts, analysisClient.ts): a Worker
 * created on first use with the client's message, error and messageerror listeners attached, and
 * dropped (listeners removed, terminated) on a crash or on terminate, so the next use starts a
 * fresh one. The client keeps its own request bookkeeping and messages.
 * Must not import: core/ (the page imports the clients), React.
 */

/** What a client listens to on its worker. */
export interface WorkerListeners {
  message: (event: MessageEvent<unknown>) => void;
  error: (event: Event) => void;
  messageerror: () => void;
}

/** A worker started on demand. */
export class LazyWorker {
  private worker: Worker | null = null;

  /** @param create factory of the Worker (tests pass a fake) */
  constructor(private readonly create: () => Worker, private readonly listeners: WorkerListeners) {}

  /** The running worker, started (with the listeners attached) when there is none. */
  get(): Worker {
    if (this.worker) return this.worker;
    const w = this.create();
    w.addEventListener('message', this.listeners.message as EventListener);
    w.addEventListener('error', this.listeners.error);
    w.addEventListener('messageerror', this.listeners.messageerror);
    this.worker = w;
    return w;
  }

  /** Removes the listeners and terminates the worker, if one runs. */
  drop(): void {
    const w = this.worker;
    if (!w) return;
    w.removeEventListener('message', this.listeners.message as EventListener);
    w.removeEventListener('error', this.listeners.error);
    w.removeEventListener('messageerror', this.listeners.messageerror);
    w.terminate();
    this.worker = null;
  }
}

/**
 * Timers available in every runtime core runs in (browser, Worker, Node), typed without the DOM
 * lib: a monotonic clock and a macrotask yield.
 * Must not import: tfjs, DOM.
 */
const g = globalThis as unknown as {
  performance?: { now(): number };
  setTimeout: (cb: () => void, ms: number) => unknown;
};

/** Milliseconds from a monotonic clock. */
export function nowMs(): number {
  return g.performance ? g.performance.now() : Date.now();
}

/** Resolves on the next macrotask, letting queued messages (pause, stop) run first. */
export function nextMacrotask(): Promise<void> {
  return new Promise<void>((resolve) => {
    g.setTimeout(resolve, 0);
  });
}

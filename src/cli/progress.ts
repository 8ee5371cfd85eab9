/**
 * A progress bar on a text stream (stderr). On a terminal it redraws one line in place (at most
 * ten times a second, always on the last update) and moves out of the way for notes; elsewhere
 * (a pipe, a CI log) it prints a plain line every `lineEvery` units and at the end.
 * Must not import: tfjs, gpu/, worker/, ui/.
 */

/** Where the bar is drawn. */
export interface ProgressSink {
  isTTY: boolean;
  /** Terminal width in characters (TTY only). */
  columns?: number;
  write(text: string): void;
}

/** Options of a bar counting from `start` to `total`. */
export interface ProgressOptions {
  label: string;
  total: number;
  start?: number;
  /** Unit of the count in plain lines, e.g. 'step'; none for percentages. */
  unit?: string;
  /** Non-TTY: print a line every this many units (default: about 20 lines over the bar). */
  lineEvery?: number;
  now?: () => number;
}

/** A live bar. */
export interface ProgressBar {
  /** Sets the count and the text after it (e.g. 'loss -0.43 · 310 ms/step'). */
  update(done: number, detail?: string): void;
  /** Prints a line above the bar (the bar is redrawn after it). */
  note(line: string): void;
  /** Draws the final state and ends the line. */
  finish(): void;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

/** m:ss or h:mm:ss. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Creates a bar; nothing is drawn until the first update. */
export function createProgressBar(sink: ProgressSink, opts: ProgressOptions): ProgressBar {
  const now = opts.now ?? (() => performance.now());
  const start = opts.start ?? 0;
  const span = Math.max(1, opts.total - start);
  const lineEvery = Math.max(1, opts.lineEvery ?? Math.ceil(span / 20));
  const t0 = now();
  let done = start;
  let detail = '';
  let lastDraw = -Infinity;
  let lastLineAt = start;
  let isDrawn = false;
  let isFinished = false;

  const eta = (): string => {
    const elapsed = now() - t0;
    if (done <= start || done >= opts.total) return done >= opts.total ? `took ${formatDuration(elapsed)}` : '';
    return `ETA ${formatDuration((elapsed / (done - start)) * (opts.total - done))}`;
  };
  const count = () => (opts.unit ? `${done}/${opts.total}` : `${Math.round((100 * done) / Math.max(1, opts.total))}%`);
  const text = () => [count(), detail, eta()].filter((s) => s.length > 0).join('  ');

  const drawTty = () => {
    const filled = Math.round((BAR_WIDTH * (done - start)) / span);
    const line = `${opts.label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${text()}`;
    const width = Math.max(20, (sink.columns || 100) - 1); // 0 when the terminal size is unknown
    sink.write(`\r\x1b[2K${line.length > width ? line.slice(0, width) : line}`);
    isDrawn = true;
    lastDraw = now();
  };
  const printLine = () => {
    sink.write(`${opts.label}: ${opts.unit ? `${opts.unit} ` : ''}${text()}\n`);
    lastLineAt = done;
  };

  return {
    update(n, d) {
      if (isFinished) return;
      done = Math.min(n, opts.total);
      if (d !== undefined) detail = d;
      if (sink.isTTY) {
        if (now() - lastDraw >= REDRAW_MS || done >= opts.total) drawTty();
      } else if (done - lastLineAt >= lineEvery || (done >= opts.total && lastLineAt < done)) printLine();
    },
    note(line) {
      if (sink.isTTY && isDrawn) {
        sink.write(`\r\x1b[2K${line}\n`);
        drawTty();
      } else sink.write(`${line}\n`);
    },
    finish() {
      if (isFinished) return;
      isFinished = true;
      if (sink.isTTY) {
        if (isDrawn) {
          drawTty();
          sink.write('\n');
        }
      } else if (lastLineAt < done) printLine();
    },
  };
}

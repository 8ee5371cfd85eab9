/**
 * Where the CLI writes: results on stdout (text, or one JSON object per line with --json), messages
 * and the progress bar on stderr (silent with --quiet, except warnings). One object so commands
 * never touch process.stdout/stderr directly and tests can capture everything.
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import { createProgressBar, type ProgressBar, type ProgressOptions, type ProgressSink } from './progress';

/** A writable text stream (process.stdout / process.stderr or a test buffer). */
export interface TextStream {
  isTTY?: boolean;
  columns?: number;
  /** Writes `text`; calls `done` once it is handed to the system. */
  write(text: string, done?: () => void): unknown;
}

/** Output modes from the command line. */
export interface OutputModes {
  isJson: boolean;
  isQuiet: boolean;
  isVerbose: boolean;
}

/** The CLI's output channels. */
export interface CliOutput extends OutputModes {
  /** A message for the user (stderr; not with --quiet). */
  info(message: string): void;
  /** A warning (stderr, always). */
  warn(message: string): void;
  /** A result: `text` on stdout, or `json` as one line with --json. */
  result(text: string, json: Record<string, unknown>): void;
  /** A machine-readable event: one JSON line on stdout with --json, nothing otherwise. */
  event(json: Record<string, unknown>): void;
  /** A progress bar on stderr, or null with --quiet. Messages printed while it runs go above it. */
  progress(opts: ProgressOptions): ProgressBar | null;
  /** Resolves once stdout has taken everything written so far. */
  flush(): Promise<void>;
}

/** Builds the output for `modes` on the given streams. */
export function createOutput(modes: OutputModes, stdout: TextStream, stderr: TextStream): CliOutput {
  let bar: ProgressBar | null = null;
  const toStderr = (line: string) => (bar ? bar.note(line) : stderr.write(`${line}\n`));
  const sink: ProgressSink = { isTTY: Boolean(stderr.isTTY), columns: stderr.columns, write: (t) => void stderr.write(t) };
  return {
    ...modes,
    info(message) {
      if (!modes.isQuiet) toStderr(message);
    },
    warn(message) {
      toStderr(`warning: ${message}`);
    },
    result(text, json) {
      stdout.write(modes.isJson ? `${JSON.stringify(json)}\n` : `${text}\n`);
    },
    event(json) {
      if (modes.isJson) stdout.write(`${JSON.stringify(json)}\n`);
    },
    progress(opts) {
      if (modes.isQuiet) return null;
      const created = createProgressBar(sink, opts);
      const wrapped: ProgressBar = {
        update: (n, d) => created.update(n, d),
        note: (line) => created.note(line),
        finish: () => {
          created.finish();
          if (bar === wrapped) bar = null;
        },
      };
      bar = wrapped;
      return wrapped;
    },
    flush: () => new Promise<void>((resolve) => void stdout.write('', () => resolve())),
  };
}

/**
 * Errors the CLI reports as one line (what went wrong + what to do) and the exit codes it uses.
 * Anything else that reaches main is an unexpected error: one line too, the stack only with --verbose.
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import { UserError } from '../core/userError';

/** Exit codes: 0 success, 1 the operation failed, 2 bad usage or invalid settings, 130 interrupted (Ctrl-C). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** A failure with a message (what) and a hint (what to do), and the exit code to leave with. */
export class CliError extends UserError {
  override name = 'CliError';
  constructor(
    message: string,
    hint: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message, hint);
  }
}

/** Bad command-line usage or an invalid setting: exit code 2. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(message: string, hint: string) {
    super(message, hint, EXIT_USAGE);
  }
}

/** The one line an error prints: `message hint`, with sentence punctuation between the two. */
export function errorLine(e: unknown): string {
  if (e instanceof UserError) return e.hint ? `${withStop(e.message)} ${e.hint}` : e.message;
  return e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
}

const withStop = (s: string): string => (/[.!?:)]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

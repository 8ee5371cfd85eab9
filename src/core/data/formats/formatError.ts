/**
 * The error the readers and importers throw for one unusable file; the message already names the
 * file, so callers turn it into a SkippedFile as is. It is a UserError (../../userError.ts), so the
 * CLI and the app show it as a message, never as a stack.
 * Must not import: tfjs, DOM.
 */
import { UserError } from '../../userError';

/** The reason of a file that ends early, in plain words with what to do; readers append the
 * technical detail in parentheses. Reasons follow that pattern: what is wrong, what to do (detail). */
export const CUT_OFF = 'is incomplete: it was cut off while it was downloaded or copied; download it again';

/** One file (or archive member) cannot be read; `message` starts with the path. */
export class FileFormatError extends UserError {
  override name = 'FileFormatError';
  constructor(
    readonly path: string,
    /** What is wrong and what to do, then the technical detail in parentheses, without the
     * path (it is prefixed). */
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** The message of any thrown value. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

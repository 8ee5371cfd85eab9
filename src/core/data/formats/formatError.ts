/**
 * The error the readers and importers throw for one unusable file; the message already names the
 * file, so callers turn it into a SkippedFile as is.
 * Must not import: tfjs, DOM.
 */

/** One file (or archive member) cannot be read; `message` starts with the path. */
export class FileFormatError extends Error {
  constructor(
    readonly path: string,
    /** What is wrong and what to do, without the path (it is prefixed). */
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'FileFormatError';
  }
}

/** The message of any thrown value. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Checkpoint files on disk: read in stages with one-line errors naming the file — regular files
 * only, the 8-byte length and the header (bounded: safetensorsHeader.ts) first, the record checked
 * next, and only then the tensors, each by a positioned read (so a lying header costs nothing and
 * `info` reads the header alone); check an output path before any work is done (its directory
 * exists, an existing file is only replaced with --force); write atomically (atomicWrite.ts).
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import { accessSync, closeSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkpointHead, loadCheckpointTensors, type CheckpointHead, type LoadedCheckpoint } from '../core/checkpoint/checkpointReader';
import { headerLengthOf, parseSafetensorsHeader } from '../core/checkpoint/safetensorsHeader';
import { isUserError } from '../core/userError';
import { CliError, UsageError } from './cliError';
import { openRegularFile, readExactly, type OpenFile } from './regularFile';

export { writeFileAtomic } from './atomicWrite';

/** Opens `path`, reads and checks its header and record, and hands both to `then`; closes the file. */
function withHead<T>(path: string, then: (file: OpenFile, head: CheckpointHead) => T): T {
  const file = openRegularFile(path, 'The checkpoint');
  try {
    const first8 = readExactly(file, 0, Math.min(8, file.size), path);
    const headerLen = headerLengthOf(first8, file.size, path);
    const prefix = readExactly(file, 0, 8 + headerLen, path);
    const head = checkpointHead(parseSafetensorsHeader(prefix, path, file.size), path);
    return then(file, head);
  } catch (e) {
    // A bad file's message already says what is wrong and what to do (checkpointFormatError.ts).
    if (isUserError(e) && !(e instanceof CliError)) throw new CliError(e.message, e.hint);
    throw e;
  } finally {
    closeSync(file.fd);
  }
}

/** Reads and checks a checkpoint's header and record only (for `info`). Throws CliError naming the file. */
export function readCheckpointHead(path: string): CheckpointHead & { byteLength: number } {
  return withHead(path, (file, head) => ({ ...head, byteLength: file.size }));
}

/** Reads, checks and decodes a whole checkpoint. Throws CliError (exit 1) naming the file and what to do. */
export function readCheckpoint(path: string): LoadedCheckpoint & { byteLength: number } {
  return withHead(path, (file, head) => {
    const dataStart = head.header.dataStart;
    const loaded = loadCheckpointTensors(head, (e) => readExactly(file, dataStart + e.begin, e.end - e.begin, path), path);
    return { ...loaded, byteLength: file.size };
  });
}

/**
 * Refuses (UsageError, before any work) an output path whose directory is missing or not writable,
 * or an existing file unless `force` or it is `replaceable` (resume writing back to its input).
 */
export function checkOutputFile(path: string, opts: { force: boolean; replaceable?: string }): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir)) throw new UsageError(`The output directory ${dir} does not exist.`, 'Create it, or choose another --out.');
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`The output directory ${dir} is not writable.`, 'Choose another --out.');
  }
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) throw new UsageError(`--out ${path} is a directory.`, 'Name a file, e.g. run.safetensors.');
  const isReplaceable = opts.replaceable !== undefined && resolve(opts.replaceable) === resolve(path);
  if (!opts.force && !isReplaceable) throw new UsageError(`${path} exists already and would be overwritten.`, 'Pass --force to overwrite it, or choose another --out.');
}

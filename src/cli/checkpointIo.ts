/**
 * Checkpoint files on disk: read + decode with one-line errors naming the file, check an output
 * path before any work is done (its directory exists, an existing file is only replaced with
 * --force), and write atomically (a temporary file in the same directory, then rename), so an
 * interrupted save never leaves a half-written checkpoint behind.
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import { accessSync, constants, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { decodeCheckpoint, type LoadedCheckpoint } from '../core/checkpoint/checkpointFile';
import { CheckpointFormatError } from '../core/checkpoint/checkpointFormatError';
import { CliError, UsageError } from './cliError';

const errnoOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Reads and decodes a checkpoint. Throws CliError (exit 1) naming the file and what to do. */
export function readCheckpoint(path: string): LoadedCheckpoint & { byteLength: number } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'ENOENT') throw new CliError(`The checkpoint ${path} does not exist.`, 'Check the path; checkpoints are the .safetensors files that `train`, `resume` or the browser\'s export write.');
    if (code === 'EISDIR') throw new CliError(`${path} is a directory, not a checkpoint file.`, 'Name the .safetensors file inside it.');
    throw new CliError(`The checkpoint ${path} cannot be read (${messageOf(e)}).`, 'Check the file permissions.');
  }
  try {
    return { ...decodeCheckpoint(bytes, path), byteLength: bytes.byteLength };
  } catch (e) {
    if (e instanceof CheckpointFormatError) throw new CliError(e.message, '');
    throw e;
  }
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

/** Writes `bytes` to `path` atomically: a temporary sibling, then rename. Throws CliError naming the path. */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    const full = errnoOf(e) === 'ENOSPC' ? 'the disk is full' : messageOf(e);
    throw new CliError(`Writing ${path} failed (${full}); the previous file, if any, is unchanged.`, 'Free disk space or choose another --out.');
  }
}

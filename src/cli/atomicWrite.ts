/**
 * Atomic, durable file writes for the CLI: the bytes go to `<path>.<pid>.tmp` in the same
 * directory, are fsynced, and the temporary file is renamed over `path`, then the directory is
 * fsynced (where the platform allows), so after a crash or power loss `path` is either the old
 * file or the whole new one. Temporary files that a killed process (kill -9, a crash) left next to
 * `path` are removed on the next write to `path` — only those whose pid is no longer alive on this
 * machine, so a save running in another process is never touched.
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './cliError';

const errnoOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/** Whether a process with this pid runs on this machine (EPERM: it does, as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoOf(e) === 'EPERM';
  }
}

/** Removes `<path>.<pid>.tmp` files of processes that are gone; returns the paths removed. */
export function removeStaleTemps(path: string): string[] {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pidText = name.slice(prefix.length, -'.tmp'.length);
    if (!/^\d{1,10}$/.test(pidText)) continue;
    const pid = Number(pidText);
    if (pid === process.pid || isAlive(pid)) continue;
    try {
      rmSync(join(dir, name), { force: true });
      removed.push(join(dir, name));
    } catch {
      // Not ours to insist on: a leftover that cannot be removed now is tried again next time.
    }
  }
  return removed;
}

/** fsync of a directory, so a rename in it is durable; skipped where directories cannot be opened (Windows). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // EISDIR / EPERM / EINVAL on platforms without directory fsync: the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes `bytes` to `path` atomically and durably (see the file header), first removing stale
 * temporary files of `path`. Throws CliError naming the path; the previous file stays as it was.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  removeStaleTemps(path);
  const tmp = `${path}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    const full = errnoOf(e) === 'ENOSPC' ? 'the disk is full' : e instanceof Error ? e.message : String(e);
    throw new CliError(`Writing ${path} failed (${full}); the previous file, if any, is unchanged.`, 'Free disk space or choose another --out.');
  }
  syncDirectory(dirname(path));
}

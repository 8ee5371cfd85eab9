/**
 * Unpacks what the user gave into plain files: .tar.gz / .tgz / .tar / .zip archives and single
 * .gz files (an IDX file, say) are recognised by their magic bytes and expanded, nested archives
 * too (a zip of .gz files), up to MAX_ARCHIVE_DEPTH levels; a deeper archive is skipped with a
 * reason that says so. Every unpack of one import draws on one unpacking budget (unpackBudget.ts).
 * Paths of members are the paths inside the archive. OS junk is dropped.
 * Must not import: tfjs, DOM.
 */
import { errorMessage, FileFormatError } from './formatError';
import { gunzip, isGzip } from './gzip';
import { MAX_ARCHIVE_DEPTH } from './limits';
import { baseName, dirParts, isJunkPath, normalizePath } from './paths';
import { isTar, readTar } from './tar';
import type { InputFile, SkippedFile } from './types';
import { createUnpackBudget, type UnpackBudget } from './unpackBudget';
import { isZip, readZip } from './zip';

/** Plain files after unpacking, and what could not be unpacked. */
export interface Expanded {
  files: InputFile[];
  skipped: SkippedFile[];
  /** Names of the archives that were unpacked, in input order. */
  archives: string[];
}

/** A member path under its archive's folder ("a/b.zip" + "x.png" → "a/x.png"), so folder drops keep their layout. */
const memberPath = (archive: string, member: string): string => normalizePath([...dirParts(archive), member].join('/'));

/** The reason of an archive nested deeper than MAX_ARCHIVE_DEPTH. */
const tooDeep = (depth: number): string =>
  `is an archive inside ${depth} levels of archives; the importer unpacks at most ${MAX_ARCHIVE_DEPTH} levels (a zip of .gz files is 2), to bound the work a crafted file can cause: unpack the outer archives yourself and import what they hold`;

/**
 * Expands archives among `files`. A file that fails to unpack is reported in `skipped` with a
 * message naming it; the rest go on. `onArchive` is told before each (slow, synchronous) unpack.
 * `budget` is the import's unpacking budget (NOTE: charged); without one, one for these files.
 */
export function expandArchives(
  files: InputFile[],
  onArchive: (path: string) => void = () => {},
  budget: UnpackBudget = createUnpackBudget(files.reduce((a, f) => a + f.bytes.length, 0)),
): Expanded {
  const out: Expanded = { files: [], skipped: [], archives: [] };
  const visit = (file: InputFile, depth: number): void => {
    const path = normalizePath(file.path);
    if (isJunkPath(path)) return;
    const bytes = file.bytes;
    const canUnpack = depth < MAX_ARCHIVE_DEPTH;
    const isTarFile = /\.tar$/i.test(path) && isTar(bytes);
    if (!canUnpack && (isGzip(bytes) || isZip(bytes) || isTarFile)) {
      out.skipped.push({ path, reason: tooDeep(depth) });
      return;
    }
    try {
      if (isGzip(bytes)) {
        onArchive(path);
        const inner = gunzip(bytes, path, budget);
        out.archives.push(path);
        // .tar.gz / .tgz → tar; any other .gz → the one file it holds, named without ".gz"
        if (isTar(inner)) visitTar(inner, path, depth);
        else visit({ path: path.replace(/\.gz$/i, '').replace(/\.tgz$/i, '.tar'), bytes: inner }, depth + 1);
      } else if (isZip(bytes)) {
        onArchive(path);
        const { files: members, skipped } = readZip(bytes, path, budget);
        out.archives.push(path);
        out.skipped.push(...skipped.map((s) => ({ ...s, path: memberPath(path, s.path) })));
        for (const m of members) visit({ path: memberPath(path, m.path), bytes: m.bytes }, depth + 1);
      } else if (isTarFile) {
        onArchive(path);
        out.archives.push(path);
        visitTar(bytes, path, depth);
      } else {
        out.files.push({ path, bytes });
      }
    } catch (e) {
      if (!(e instanceof FileFormatError)) throw e;
      out.skipped.push({ path, reason: e.reason });
    }
  };
  const visitTar = (bytes: Uint8Array, path: string, depth: number): void => {
    const { files: members, skipped } = readTar(bytes, baseName(path));
    out.skipped.push(...skipped.map((s) => ({ ...s, path: memberPath(path, s.path) })));
    for (const m of members) visit({ path: memberPath(path, m.path), bytes: m.bytes }, depth + 1);
  };
  for (const f of files) {
    try {
      visit(f, 0);
    } catch (e) {
      out.skipped.push({ path: f.path, reason: `could not be unpacked: ${errorMessage(e)}` });
    }
  }
  return out;
}

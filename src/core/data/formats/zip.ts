/**
 * zip reader: lists the central directory first (zipDirectory.ts), refuses an archive whose
 * declared sizes pass the import's unpacking budget before inflating anything, then extracts the
 * files worth extracting one by one and checks each against its own declaration: a deflated
 * member may not inflate past its declared size (inflating stops there), and its length and CRC-32
 * must match the directory. Folder entries and OS junk (__MACOSX/, "._x", .DS_Store) are dropped
 * silently; encrypted entries, methods other than store/deflate and corrupt entries are skipped
 * with a reason, each on its own, instead of failing the whole archive.
 * Must not import: tfjs, DOM.
 */
import { crc32 } from './crc32';
import { errorMessage } from './formatError';
import { inflateCapped, OutputCapError } from './inflateBounded';
import { formatBytes, isJunkPath, normalizePath } from './paths';
import type { InputFile, SkippedFile } from './types';
import { MAX_UNPACKED_BYTES } from './limits';
import { bytesLeft, createUnpackBudget, overBudgetError, tooLargeError, type UnpackBudget } from './unpackBudget';
import { readZipDirectory, type ZipEntry } from './zipDirectory';

/** Files of a zip archive. */
export interface ZipContents {
  files: InputFile[];
  skipped: SkippedFile[];
}

/** True when the bytes start with a zip local header (PK\3\4) or are an empty zip (PK\5\6). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

const METHOD_NAMES: Record<number, string> = { 9: 'Deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'Zstandard', 95: 'XZ', 98: 'PPMd', 99: 'AES encryption' };

/** The entries worth extracting; the others are dropped (folders, junk) or skipped with a reason. */
function selectEntries(entries: ZipEntry[], archivePath: string, skipped: SkippedFile[]): ZipEntry[] {
  const wanted: ZipEntry[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const path = normalizePath(entry.name);
    if (entry.name.endsWith('/') || path === '' || isJunkPath(path)) continue;
    if (seen.has(path)) {
      skipped.push({ path, reason: `appears twice in ${archivePath}; only the first copy is used` });
      continue;
    }
    seen.add(path);
    if (entry.method !== 0 && entry.method !== 8) {
      const method = METHOD_NAMES[entry.method] ?? `method ${entry.method}`;
      skipped.push({ path, reason: `is compressed with ${method} in ${archivePath}, which cannot be unpacked here; re-create the zip with ordinary (deflate) compression` });
    } else if (entry.flags & 1) {
      skipped.push({ path, reason: `is encrypted in ${archivePath}, which cannot be unpacked here; re-create the zip without a password` });
    } else {
      wanted.push(entry);
    }
  }
  return wanted;
}

/** A member that fails its own checks: `message` is its skip reason. */
class MemberError extends Error {}

/** One member's bytes, checked against its directory entry; throws MemberError with the skip reason. */
function extract(bytes: Uint8Array, entry: ZipEntry, archivePath: string, budget: UnpackBudget): Uint8Array {
  const corrupt = (what: string, detail: string): MemberError => new MemberError(`is corrupt inside ${archivePath}: ${what}; re-create the zip or download it again (${detail})`);
  const end = entry.dataStart + entry.compressedSize;
  if (end > bytes.length) throw corrupt('its data runs past the end of the archive', `${entry.compressedSize} compressed bytes declared at byte ${entry.dataStart} of ${bytes.length}`);
  const packed = bytes.subarray(entry.dataStart, end);
  let data: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw corrupt('its stored size disagrees with its size', `stored ${entry.compressedSize} bytes, size ${entry.size}`);
    data = packed;
  } else {
    try {
      // one byte over the declaration is enough to know it lies
      data = inflateCapped(packed, Math.min(entry.size + 1, bytesLeft(budget)), entry.size);
    } catch (e) {
      if (!(e instanceof OutputCapError)) throw corrupt('its compressed data cannot be unpacked', errorMessage(e));
      const error = e.producedBytes > entry.size
        ? corrupt('it unpacks to more bytes than the zip records for it', `more than the ${entry.size} bytes declared`)
        : overBudgetError(archivePath, budget, `holds "${entry.name}", which unpacks to more than`);
      budget.usedBytes += e.producedBytes;
      throw error;
    }
    budget.usedBytes += data.length;
  }
  if (data.length !== entry.size) throw corrupt('it unpacks to fewer bytes than the zip records for it', `${data.length} of the ${entry.size} bytes declared`);
  if (crc32(data) !== entry.crc) throw corrupt("its unpacked bytes fail the zip's own check", 'CRC-32 mismatch');
  return data;
}

/**
 * Reads the files of a zip archive. `archivePath` names the archive in messages; `budget` is the
 * import's unpacking budget (charged with what is inflated; without one, one for this archive
 * alone). Throws FileFormatError when the archive itself is unreadable or declares more than the
 * budget; a member that fails its own checks is skipped with the reason.
 */
export function readZip(bytes: Uint8Array, archivePath: string, budget: UnpackBudget = createUnpackBudget(bytes.length)): ZipContents {
  const skipped: SkippedFile[] = [];
  const wanted = selectEntries(readZipDirectory(bytes, archivePath), archivePath, skipped);
  const huge = wanted.find((e) => e.size > MAX_UNPACKED_BYTES);
  if (huge) throw tooLargeError(archivePath, `holds "${huge.name}", which says it unpacks to ${formatBytes(huge.size)}, more than`);
  const declared = wanted.reduce((a, e) => a + (e.method === 8 ? e.size : 0), 0);
  if (declared > bytesLeft(budget)) throw overBudgetError(archivePath, budget, `says it unpacks to ${formatBytes(declared)}, more than`);
  const files: InputFile[] = [];
  for (const entry of wanted) {
    const path = normalizePath(entry.name);
    try {
      files.push({ path, bytes: extract(bytes, entry, archivePath, budget) });
    } catch (e) {
      if (!(e instanceof MemberError)) throw e;
      skipped.push({ path, reason: e.message });
    }
  }
  return { files, skipped };
}

/**
 * zip reader on fflate's unzipSync: lists the central directory first, then extracts the files
 * worth extracting. Folder entries and OS junk (__MACOSX/, "._x", .DS_Store) are dropped silently;
 * entries compressed with methods other than store/deflate are skipped with a reason; a corrupt entry
 * is skipped on its own instead of failing the whole archive.
 * Must not import: tfjs, DOM.
 */
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { errorMessage, FileFormatError } from './formatError';
import { MAX_UNPACKED_BYTES } from './gzip';
import { formatBytes, isJunkPath, normalizePath } from './paths';
import type { InputFile, SkippedFile } from './types';

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

/**
 * Reads the files of a zip archive. `archivePath` names the archive in messages.
 * Throws FileFormatError when the archive itself is unreadable (not a zip, truncated, too large).
 */
export function readZip(bytes: Uint8Array, archivePath: string): ZipContents {
  const entries: UnzipFileInfo[] = [];
  try {
    unzipSync(bytes, {
      filter: (info) => {
        entries.push(info);
        return false;
      },
    });
  } catch (e) {
    throw new FileFormatError(archivePath, `is not a readable zip archive: it is cut off, damaged or another kind of file; create or download it again (${errorMessage(e)})`);
  }
  const skipped: SkippedFile[] = [];
  const wanted = new Set<string>();
  const seen = new Set<string>();
  let totalBytes = 0;
  for (const info of entries) {
    const path = normalizePath(info.name);
    if (info.name.endsWith('/') || path === '' || isJunkPath(path)) continue;
    if (seen.has(path)) {
      skipped.push({ path, reason: `appears twice in ${archivePath}; only the first copy is used` });
      continue;
    }
    seen.add(path);
    if (info.compression !== 0 && info.compression !== 8) {
      const method = METHOD_NAMES[info.compression] ?? `method ${info.compression}`;
      skipped.push({ path, reason: `is compressed with ${method} in ${archivePath}, which cannot be unpacked here; re-create the zip with ordinary (deflate) compression` });
      continue;
    }
    totalBytes += info.originalSize;
    wanted.add(info.name);
  }
  if (totalBytes > MAX_UNPACKED_BYTES) {
    throw new FileFormatError(archivePath, `unpacks to ${formatBytes(totalBytes)}, more than the ${formatBytes(MAX_UNPACKED_BYTES)} the importer handles; import a smaller part of the data`);
  }
  let extracted: Record<string, Uint8Array>;
  try {
    const taken = new Set<string>(); // the first entry of a duplicated name only
    extracted = unzipSync(bytes, {
      filter: (info) => {
        if (!wanted.has(info.name) || taken.has(info.name)) return false;
        taken.add(info.name);
        return true;
      },
    });
  } catch {
    extracted = extractOneByOne(bytes, entries, archivePath, skipped);
  }
  const files: InputFile[] = Object.entries(extracted).map(([name, data]) => ({ path: normalizePath(name), bytes: data }));
  return { files, skipped };
}

/** Slow path after a corrupt entry: extracts each wanted entry on its own so one bad entry costs only itself. */
function extractOneByOne(bytes: Uint8Array, entries: UnzipFileInfo[], archivePath: string, skipped: SkippedFile[]): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const done = new Set<string>();
  for (const info of entries) {
    const path = normalizePath(info.name);
    if (info.name.endsWith('/') || path === '' || isJunkPath(path) || done.has(path)) continue;
    if (info.compression !== 0 && info.compression !== 8) continue;
    done.add(path);
    let isFirst = true;
    try {
      Object.assign(
        out,
        unzipSync(bytes, {
          filter: (f) => {
            const match = f.name === info.name && isFirst;
            if (match) isFirst = false;
            return match;
          },
        }),
      );
    } catch (e) {
      skipped.push({ path, reason: `is corrupt inside ${archivePath} (${errorMessage(e)}); re-create the zip` });
    }
  }
  return out;
}

/**
 * tar reader: POSIX ustar, GNU long names ('L' records) and pax extended headers ('x': path, size).
 * Every header's checksum is verified; only regular files are returned (as subarray views of the
 * archive, no copies). Directories and pax globals are passed over; links, devices and other special
 * members are reported as skipped. A tar that ends inside a header or a member is an error.
 * Format: https://www.gnu.org/software/tar/manual/html_node/Standard.html
 * Must not import: tfjs, DOM.
 */
import { strFromU8 } from 'fflate';
import { CUT_OFF, FileFormatError } from './formatError';
import { normalizePath } from './paths';
import type { InputFile, SkippedFile } from './types';

const BLOCK = 512;

/** Files of a tar archive. */
export interface TarContents {
  files: InputFile[];
  skipped: SkippedFile[];
}

/** NUL-terminated string field. */
function field(block: Uint8Array, offset: number, length: number): string {
  let end = offset;
  while (end < offset + length && block[end] !== 0) end++;
  return strFromU8(block.subarray(offset, end));
}

/** Numeric field: octal text (NUL/space padded), or GNU base-256 when the top bit is set. */
function numberField(block: Uint8Array, offset: number, length: number): number {
  if (block[offset]! & 0x80) {
    let v = block[offset]! & 0x7f;
    for (let i = 1; i < length; i++) v = v * 256 + block[offset + i]!;
    return v;
  }
  const text = field(block, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return NaN;
  return parseInt(text, 8);
}

/** True when the header checksum matches (unsigned sum, or the signed sum some old tars wrote). */
function hasValidChecksum(block: Uint8Array): boolean {
  const stored = numberField(block, 148, 8);
  if (!Number.isFinite(stored)) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

const isZeroBlock = (block: Uint8Array): boolean => block.every((b) => b === 0);

/** True when `bytes` starts with a valid tar header (checksum correct), e.g. after gunzip. */
export function isTar(bytes: Uint8Array): boolean {
  if (bytes.length < BLOCK) return false;
  const block = bytes.subarray(0, BLOCK);
  return !isZeroBlock(block) && hasValidChecksum(block);
}

/** Parses pax "len key=value\n" records into a map. */
function parsePax(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const text = strFromU8(data);
  let pos = 0;
  while (pos < text.length) {
    const space = text.indexOf(' ', pos);
    const eq = text.indexOf('=', space);
    const nl = text.indexOf('\n', eq);
    if (space < 0 || eq < 0 || nl < 0) break;
    out.set(text.slice(space + 1, eq), text.slice(eq + 1, nl));
    pos = nl + 1;
  }
  return out;
}

const TYPE_NAMES: Record<string, string> = { '1': 'a hard link', '2': 'a symbolic link', '3': 'a character device', '4': 'a block device', '6': 'a FIFO', S: 'a sparse file', V: 'a volume label', M: 'a multi-volume continuation' };

/**
 * Reads the regular files of a tar archive. `archivePath` names the archive in messages.
 * Throws FileFormatError on a bad header checksum or an archive that ends inside a header or member.
 */
export function readTar(bytes: Uint8Array, archivePath: string): TarContents {
  const files: InputFile[] = [];
  const skipped: SkippedFile[] = [];
  let pos = 0;
  let longName: string | null = null;
  let pax: Map<string, string> | null = null;
  let memberIdx = 0;
  while (pos + BLOCK <= bytes.length) {
    const block = bytes.subarray(pos, pos + BLOCK);
    if (isZeroBlock(block)) return { files, skipped }; // end-of-archive marker
    memberIdx++;
    if (!hasValidChecksum(block)) {
      const what = memberIdx === 1 ? 'is not a tar archive, or is damaged: its first entry cannot be read' : `is damaged: its entry ${memberIdx} cannot be read`;
      throw new FileFormatError(archivePath, `${what}; download it again (the tar header of member ${memberIdx} at byte ${pos} fails its checksum)`);
    }
    const isUstar = field(block, 257, 6) === 'ustar';
    const isPosix = isUstar && block[262] === 0; // GNU writes "ustar  \0" and has no prefix field
    const prefix = isPosix ? field(block, 345, 155) : '';
    const headerName = prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100);
    const name = pax?.get('path') ?? longName ?? headerName;
    const paxSize = pax?.get('size');
    const size = paxSize !== undefined ? Number(paxSize) : numberField(block, 124, 12);
    if (!Number.isFinite(size) || size < 0) throw new FileFormatError(archivePath, `is damaged: the size of "${name}" in it cannot be read; download it again (unreadable size field)`);
    const type = String.fromCharCode(block[156]!);
    const dataStart = pos + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > bytes.length) {
      throw new FileFormatError(archivePath, `${CUT_OFF} (it ends inside member "${name}": ${bytes.length - dataStart} of ${size} bytes present)`);
    }
    const data = bytes.subarray(dataStart, dataEnd);
    pos = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      pax = parsePax(data);
      continue;
    }
    longName = null;
    pax = null;
    if (type === 'g' || type === 'K' || type === '5') continue; // pax global header, GNU long link name, directory
    const path = normalizePath(name);
    if (type === '0' || type === '\0' || type === '7') files.push({ path, bytes: data });
    else skipped.push({ path, reason: `is ${TYPE_NAMES[type] ?? `a special tar member (type '${type}')`} in ${archivePath}, not a regular file` });
  }
  if (pos < bytes.length && !isZeroBlock(bytes.subarray(pos))) {
    throw new FileFormatError(archivePath, `${CUT_OFF} (it ends inside the tar header of member ${memberIdx + 1})`);
  }
  return { files, skipped };
}

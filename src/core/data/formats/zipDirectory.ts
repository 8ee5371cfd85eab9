/**
 * The central directory of a zip archive (PKWARE APPNOTE 6.3, sections 4.3.12–4.3.16, zip64
 * 4.3.14–4.5.3): every entry's name, method, flags, CRC-32, declared sizes and where its data
 * starts — read from the headers alone, before anything is inflated, so the sizes can be checked
 * against the import's budget and each member's output against its own declaration.
 * Spec: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 * Must not import: tfjs, DOM.
 */
import { strFromU8 } from 'fflate';
import { errorMessage, FileFormatError } from './formatError';

/** One entry of the central directory. */
export interface ZipEntry {
  /** The name as stored (UTF-8 when flagged, else latin-1, as fflate reads it). */
  name: string;
  /** Compression method: 0 stored, 8 deflate, others unsupported. */
  method: number;
  /** General purpose flags (bit 0: encrypted). */
  flags: number;
  crc: number;
  compressedSize: number;
  /** Uncompressed size the directory declares. */
  size: number;
  /** Offset of the entry's data (after its local header) in the archive. */
  dataStart: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_U32 = 0xffffffff;

/** A bad directory: thrown inside, turned into the archive's one message by readZipDirectory. */
class DirectoryError extends Error {}

/** Little-endian reads that throw DirectoryError outside the archive. */
function reader(bytes: Uint8Array): { u16(at: number): number; u32(at: number): number; u64(at: number): number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const inside = (at: number, n: number): void => {
    if (!(at >= 0 && at + n <= bytes.length)) throw new DirectoryError(`a header points outside the archive (byte ${at})`);
  };
  return {
    u16: (at) => (inside(at, 2), view.getUint16(at, true)),
    u32: (at) => (inside(at, 4), view.getUint32(at, true)),
    u64: (at) => (inside(at, 8), view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32),
  };
}

/** Offset of the end-of-central-directory record: searched backwards over the comment (≤ 64 KiB). */
function findEnd(bytes: Uint8Array, u32: (at: number) => number): number {
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--) {
    if (bytes[at] === 0x50 && bytes[at + 1] === 0x4b && u32(at) === EOCD) return at;
  }
  throw new DirectoryError('no end-of-central-directory record: the end of the archive is missing');
}

/** Number of entries, directory offset and size, from the EOCD record or its zip64 version. */
function directoryBounds(bytes: Uint8Array, r: ReturnType<typeof reader>): { numEntries: number; offset: number; size: number } {
  const end = findEnd(bytes, r.u32);
  let numEntries = r.u16(end + 10);
  let size = r.u32(end + 12);
  let offset = r.u32(end + 16);
  if ((numEntries === 0xffff || size === MAX_U32 || offset === MAX_U32) && end >= 20 && r.u32(end - 20) === ZIP64_LOCATOR) {
    const at = r.u64(end - 20 + 8);
    if (r.u32(at) !== ZIP64_EOCD) throw new DirectoryError('the zip64 end record is missing');
    numEntries = r.u64(at + 32);
    size = r.u64(at + 40);
    offset = r.u64(at + 48);
  }
  if (offset + size > bytes.length) throw new DirectoryError(`the central directory (${size} bytes at byte ${offset}) lies past the end of the archive`);
  return { numEntries, offset, size };
}

/** The zip64 extra field (id 1) replaces the 32-bit fields that are all ones, in this order. */
function applyZip64(r: ReturnType<typeof reader>, extraStart: number, extraEnd: number, fields: { size: number; compressedSize: number; localOffset: number }): void {
  for (let at = extraStart; at + 4 <= extraEnd; ) {
    const id = r.u16(at);
    const len = r.u16(at + 2);
    if (id === 1) {
      let p = at + 4;
      for (const key of ['size', 'compressedSize', 'localOffset'] as const) {
        if (fields[key] === MAX_U32 && p + 8 <= at + 4 + len) {
          fields[key] = r.u64(p);
          p += 8;
        }
      }
    }
    at += 4 + len;
  }
}

/**
 * Every entry of the zip's central directory, in stored order. Throws FileFormatError naming
 * `archivePath` when the directory cannot be read (not a zip, cut off, damaged).
 */
export function readZipDirectory(bytes: Uint8Array, archivePath: string): ZipEntry[] {
  try {
    const r = reader(bytes);
    const { numEntries, offset, size } = directoryBounds(bytes, r);
    const entries: ZipEntry[] = [];
    let at = offset;
    for (let i = 0; i < numEntries; i++) {
      if (at + 46 > offset + size || r.u32(at) !== CENTRAL) throw new DirectoryError(`entry ${i + 1} of ${numEntries} in the central directory is missing or damaged`);
      const flags = r.u16(at + 8);
      const nameLen = r.u16(at + 28);
      const extraLen = r.u16(at + 30);
      const commentLen = r.u16(at + 32);
      const fields = { size: r.u32(at + 24), compressedSize: r.u32(at + 20), localOffset: r.u32(at + 42) };
      applyZip64(r, at + 46 + nameLen, at + 46 + nameLen + extraLen, fields);
      if (at + 46 + nameLen > bytes.length) throw new DirectoryError(`the name of entry ${i + 1} runs past the end of the archive`);
      const name = strFromU8(bytes.subarray(at + 46, at + 46 + nameLen), !(flags & 0x800));
      const local = fields.localOffset;
      if (r.u32(local) !== LOCAL) throw new DirectoryError(`the local header of "${name}" (byte ${local}) is missing`);
      const dataStart = local + 30 + r.u16(local + 26) + r.u16(local + 28);
      entries.push({ name, method: r.u16(at + 10), flags, crc: r.u32(at + 16), compressedSize: fields.compressedSize, size: fields.size, dataStart });
      at += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  } catch (e) {
    if (!(e instanceof DirectoryError)) throw e;
    throw new FileFormatError(archivePath, `is not a readable zip archive: it is cut off, damaged or another kind of file; create or download it again (${errorMessage(e)})`);
  }
}

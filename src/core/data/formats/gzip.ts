/**
 * gunzip of one gzip member (RFC 1952) with fflate's inflate, plus the checks fflate leaves out:
 * the header is parsed here, and the output length and CRC-32 are compared with the trailer, so a
 * truncated download or a flipped bit is reported instead of yielding silently wrong bytes.
 * Must not import: tfjs, DOM.
 */
import { inflateSync } from 'fflate';
import { crc32 } from './crc32';
import { CUT_OFF, FileFormatError } from './formatError';
import { formatBytes } from './paths';

/** Largest unpacked size accepted from one archive (1 GiB): far above CIFAR (185 MB), below browser allocation limits. */
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;

/** Deflate cannot expand data by more than this ratio (258-byte matches of 2 bits); used to spot bad trailers. */
const MAX_DEFLATE_RATIO = 1032;

/** True when the bytes start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

const hex = (bytes: Uint8Array, n: number): string =>
  Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');

/** Offset of the deflate data after the gzip header. Throws FileFormatError on a bad header. */
function deflateStart(bytes: Uint8Array, path: string): number {
  if (!isGzip(bytes)) {
    throw new FileFormatError(path, `is not a gzip (.gz) file: it is another kind of file with a .gz name, or a web page saved in place of the download; download it again (it starts with ${hex(bytes, 4) || 'nothing'}, gzip starts with 1f 8b)`);
  }
  if (bytes.length < 18) throw new FileFormatError(path, `${CUT_OFF} (${bytes.length} bytes is shorter than an empty gzip file)`);
  if (bytes[2] !== 8) {
    throw new FileFormatError(path, `is damaged or not a real gzip file: it names a compression that does not exist; download it again (compression method ${bytes[2]}, only deflate (8) exists)`);
  }
  const flags = bytes[3]!;
  let pos = 10;
  if (flags & 4) pos += 2 + (bytes[10]! | (bytes[11]! << 8)); // FEXTRA
  for (const bit of [8, 16]) {
    // FNAME, FCOMMENT: zero-terminated strings
    if (flags & bit) {
      while (pos < bytes.length && bytes[pos] !== 0) pos++;
      pos++;
    }
  }
  if (flags & 2) pos += 2; // FHCRC
  if (pos + 8 > bytes.length) throw new FileFormatError(path, `${CUT_OFF} (it ends inside its gzip header)`);
  return pos;
}

/**
 * Unpacks one gzip file. Throws FileFormatError naming `path` when the data is not gzip, ends early,
 * is corrupt (CRC or length mismatch) or unpacks to more than MAX_UNPACKED_BYTES.
 */
export function gunzip(bytes: Uint8Array, path: string): Uint8Array {
  const start = deflateStart(bytes, path);
  const end = bytes.length - 8;
  const deflated = bytes.subarray(start, end);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const storedCrc = view.getUint32(end, true);
  const storedSize = view.getUint32(end + 4, true);
  // A trailer that no deflate stream of this length can produce means the file was cut (the last
  // 8 bytes are then compressed data) or corrupted; inflate without trusting it to find out which.
  const isPlausible = storedSize >= deflated.length * 0.99 - 64 && storedSize <= deflated.length * MAX_DEFLATE_RATIO + 1024;
  if (isPlausible && storedSize > MAX_UNPACKED_BYTES) {
    throw new FileFormatError(path, `unpacks to ${formatBytes(storedSize)}, more than the ${formatBytes(MAX_UNPACKED_BYTES)} the importer handles; import a smaller part of the data`);
  }
  let out: Uint8Array;
  try {
    out = isPlausible ? inflateSync(deflated, { out: new Uint8Array(storedSize) }) : inflateSync(deflated);
  } catch (e) {
    const code = (e as { code?: number }).code;
    if (code === 0) throw new FileFormatError(path, `${CUT_OFF} (the gzip data ends early)`);
    throw new FileFormatError(path, `is damaged: its compressed data cannot be unpacked; download it again (${e instanceof Error ? e.message : String(e)})`);
  }
  if (out.length > MAX_UNPACKED_BYTES) {
    throw new FileFormatError(path, `unpacks to more than the ${formatBytes(MAX_UNPACKED_BYTES)} the importer handles; import a smaller part of the data`);
  }
  if (out.length !== storedSize) {
    throw new FileFormatError(path, `is damaged or cut off: it does not unpack to the size it records; download it again (it unpacked to ${out.length} bytes but its trailer says ${storedSize})`);
  }
  if (crc32(out) !== storedCrc) {
    throw new FileFormatError(path, 'is damaged: its unpacked data fails the file\'s own check; download it again (CRC-32 mismatch)');
  }
  return out;
}

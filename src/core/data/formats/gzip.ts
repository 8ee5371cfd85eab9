/**
 * gunzip (RFC 1952) with fflate's streaming Gunzip, plus the checks fflate leaves out: the header
 * is parsed here; every member of a multi-member file (as `cat a.gz b.gz` or pigz make) is
 * unpacked and the output is their concatenation, as gzip -d gives; each member's length and
 * CRC-32 are compared with its trailer, so a truncated download or a flipped bit is reported
 * instead of yielding silently wrong bytes. Inflating stops as soon as the output passes the
 * import's unpacking budget (unpackBudget.ts), and a trailer that already declares more is refused
 * before any work.
 * Must not import: tfjs, DOM.
 */
import { crc32 } from './crc32';
import { CUT_OFF, errorMessage, FileFormatError } from './formatError';
import { gunzipCapped, OutputCapError } from './inflateBounded';
import { MAX_DEFLATE_RATIO, MAX_UNPACKED_BYTES } from './limits';
import { formatBytes } from './paths';
import { createUnpackBudget, inflateCap, overBudgetError, tooLargeError, type UnpackBudget } from './unpackBudget';

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
 * Unpacks a gzip file (all its members). Throws FileFormatError naming `path` when the data is not
 * gzip, ends early, is corrupt (a member's CRC or length mismatch) or unpacks past `budget`
 * (charged with what was inflated). Without a budget, one for this file alone is used.
 */
export function gunzip(bytes: Uint8Array, path: string, budget: UnpackBudget = createUnpackBudget(bytes.length)): Uint8Array {
  const start = deflateStart(bytes, path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The last member's size is a lower bound of the whole output (mod 2^32), so a trailer over the
  // budget is refused before any work when it is plausible for this much compressed data.
  const lastSize = view.getUint32(bytes.length - 4, true);
  const isPlausible = lastSize <= (bytes.length - start) * MAX_DEFLATE_RATIO + 1024;
  const cap = inflateCap(budget);
  const isArchiveCap = cap === MAX_UNPACKED_BYTES;
  if (isPlausible && lastSize > cap) {
    const what = `says it unpacks to ${formatBytes(lastSize)}, more than`;
    throw isArchiveCap ? tooLargeError(path, what) : overBudgetError(path, budget, what);
  }
  let unpacked;
  try {
    unpacked = gunzipCapped(bytes, cap, isPlausible ? lastSize : 0);
  } catch (e) {
    if (e instanceof OutputCapError) {
      const error = isArchiveCap ? tooLargeError(path, 'unpacks to more than') : overBudgetError(path, budget, 'unpacks to more than');
      budget.usedBytes += e.producedBytes;
      throw error;
    }
    const code = (e as { code?: number }).code;
    if (code === 0) throw new FileFormatError(path, `${CUT_OFF} (the gzip data ends early)`);
    if (code === 6) throw new FileFormatError(path, `is damaged or cut off: bytes after its compressed data are neither its 8-byte trailer nor another gzip member; download it again (${errorMessage(e)})`);
    throw new FileFormatError(path, `is damaged: its compressed data cannot be unpacked; download it again (${errorMessage(e)})`);
  }
  const { out, inputStarts, outputStarts } = unpacked;
  budget.usedBytes += out.length;
  for (let m = 0; m < inputStarts.length; m++) checkTrailer(bytes, view, out, path, m, inputStarts, outputStarts);
  return out;
}

/** Compares member `m`'s output with the trailer (CRC-32, then size mod 2^32) that ends the member. */
function checkTrailer(bytes: Uint8Array, view: DataView, out: Uint8Array, path: string, m: number, inputStarts: number[], outputStarts: number[]): void {
  const isLast = m === inputStarts.length - 1;
  const trailerAt = (isLast ? bytes.length : inputStarts[m + 1]!) - 8;
  const data = out.subarray(outputStarts[m]!, isLast ? out.length : outputStarts[m + 1]!);
  const which = inputStarts.length > 1 ? `member ${m + 1} of ${inputStarts.length}: ` : '';
  const storedSize = view.getUint32(trailerAt + 4, true);
  if (data.length % 2 ** 32 !== storedSize) {
    throw new FileFormatError(path, `is damaged or cut off: it does not unpack to the size it records; download it again (${which}it unpacked to ${data.length} bytes but its trailer says ${storedSize})`);
  }
  if (crc32(data) !== view.getUint32(trailerAt, true)) {
    throw new FileFormatError(path, `is damaged: its unpacked data fails the file's own check; download it again (${which}CRC-32 mismatch)`);
  }
}

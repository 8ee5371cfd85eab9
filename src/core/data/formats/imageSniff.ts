/**
 * Recognises image files by their magic bytes (not their extension) and reads their width and
 * height from the header alone (PNG IHDR, JPEG SOFn, WebP VP8/VP8L/VP8X), so oversized images are
 * refused before any decoder allocates their pixels.
 * Must not import: tfjs, DOM.
 */

/** Formats the importer decodes. */
export type DecodableImageType = 'png' | 'jpeg' | 'webp';
/** Image formats recognised only to say they are unsupported. */
export type OtherImageType = 'gif' | 'bmp' | 'tiff' | 'heic' | 'avif';

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0): boolean => sig.every((b, i) => bytes[at + i] === b);
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image format of `bytes` from its magic bytes, or null when it is no image format we know. */
export function sniffImageType(bytes: Uint8Array): DecodableImageType | OtherImageType | null {
  if (startsWith(bytes, PNG_SIG)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, ascii('GIF8'))) return 'gif';
  if (startsWith(bytes, ascii('BM')) && bytes.length > 26) return 'bmp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, ascii('ftyp'), 4)) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (/^(heic|heix|hevc|mif1|msf1)$/.test(brand)) return 'heic';
  }
  return null;
}

/** True for the formats the importer can decode. */
export function isDecodable(type: string | null): type is DecodableImageType {
  return type === 'png' || type === 'jpeg' || type === 'webp';
}

/** Image width and height in pixels. */
export interface ImageDims {
  width: number;
  height: number;
}

const be16 = (b: Uint8Array, i: number): number => (b[i]! << 8) | b[i + 1]!;
const be32 = (b: Uint8Array, i: number): number => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const le24 = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);

function pngDims(b: Uint8Array): ImageDims | null {
  if (b.length < 24 || !startsWith(b, ascii('IHDR'), 12)) return null;
  return { width: be32(b, 16), height: be32(b, 20) };
}

function jpegDims(b: Uint8Array): ImageDims | null {
  let pos = 2;
  while (pos + 9 < b.length) {
    if (b[pos] !== 0xff) return null;
    while (b[pos] === 0xff && pos < b.length) pos++; // fill bytes
    const marker = b[pos]!;
    pos++;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / start of scan before any frame header
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: be16(b, pos + 3), width: be16(b, pos + 5) };
    pos += be16(b, pos);
  }
  return null;
}

function webpDims(b: Uint8Array): ImageDims | null {
  if (b.length < 30) return null;
  const chunk = String.fromCharCode(...b.subarray(12, 16));
  if (chunk === 'VP8X') return { width: le24(b, 24) + 1, height: le24(b, 27) + 1 };
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = (b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)) >>> 0;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ' && startsWith(b, [0x9d, 0x01, 0x2a], 23)) {
    return { width: (b[26]! | (b[27]! << 8)) & 0x3fff, height: (b[28]! | (b[29]! << 8)) & 0x3fff };
  }
  return null;
}

/** Width and height from the header of a PNG, JPEG or WebP file, or null when the header cannot be read. */
export function readImageDims(bytes: Uint8Array, type: DecodableImageType): ImageDims | null {
  if (type === 'png') return pngDims(bytes);
  if (type === 'jpeg') return jpegDims(bytes);
  return webpDims(bytes);
}

/**
 * The budgets of encoded images, checked on their headers before any decoder runs: each image's
 * size in pixels (limits.ts: MAX_IMAGE_SIDE, MAX_IMAGE_PIXELS), a PNG whose header asks for more
 * pixel bytes than its data could inflate to (a crafted or damaged file), and the pixels of every
 * image of one import together (the decoding budget, which bounds decoding time).
 * Must not import: tfjs, DOM.
 */
import type { DecodableImageType, ImageDims } from './imageSniff';
import { DECODE_FLOOR_PIXELS, MAX_DEFLATE_RATIO, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, PIXELS_PER_INPUT_BYTE } from './limits';
import { formatBytes } from './paths';

const megapixels = (n: number): string => (n < 1e5 ? `${n} pixels` : `${Math.round(n / 1e5) / 10} megapixels`);

/** Bits per pixel of a PNG from its IHDR (bit depth × channels of the colour type), at least 1. */
function pngBitsPerPixel(bytes: Uint8Array): number {
  const channels: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
  return Math.max(1, (bytes[24] ?? 1) * (channels[bytes[25] ?? 0] ?? 1));
}

/**
 * Why an image whose header says `dims` is refused before decoding, or null when it may be
 * decoded. The reason says what is wrong and what to do.
 */
export function imageHeaderProblem(bytes: Uint8Array, type: DecodableImageType, dims: ImageDims): string | null {
  const { width, height } = dims;
  if (width === 0 || height === 0) return `is corrupt: its header says ${width}×${height} pixels`;
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    return `is ${width}×${height} pixels, over the limit of ${MAX_IMAGE_SIDE} px a side and ${megapixels(MAX_IMAGE_PIXELS)} (kept to bound memory): shrink it first`;
  }
  if (type === 'png') {
    // each row is a filter byte plus its pixels; deflate cannot inflate data more than 1032×
    const rawBytes = height * (1 + Math.ceil((width * pngBitsPerPixel(bytes)) / 8));
    if (rawBytes > MAX_DEFLATE_RATIO * bytes.length) {
      return `is damaged or crafted: its header says ${width}×${height} pixels, which no PNG of ${formatBytes(bytes.length)} can hold; download or export it again (its pixels need ${formatBytes(rawBytes)} unpacked, more than ${MAX_DEFLATE_RATIO}× the file)`;
    }
  }
  return null;
}

/** The reason of an image past the import's decoding budget of `maxPixels`. */
export function overDecodeBudget(maxPixels: number, usedPixels: number, dims: ImageDims): string {
  const rule = `${PIXELS_PER_INPUT_BYTE} pixels per byte of the files given, at least ${megapixels(DECODE_FLOOR_PIXELS)}`;
  return `not decoded: the images before it already add up to ${megapixels(usedPixels)} and it adds ${dims.width}×${dims.height}, past the ${megapixels(maxPixels)} one import decodes (${rule}, to bound decoding time); import fewer or smaller images, or set a lower image limit (maxImages)`;
}

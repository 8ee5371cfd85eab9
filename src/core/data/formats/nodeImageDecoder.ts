/**
 * ImageDecoder for Node (tests and the CLI): PNG through pngjs, JPEG through jpeg-js, both pure JS.
 * WebP has no decoder here and is refused with a clear message (the browser decodes it). An image
 * whose header asks for more than these decoders may hold (limits.ts: NODE_DECODE_BYTES) is
 * refused before decoding, and jpeg-js is told the same bound for frames declared later in a file.
 *
 * pngjs and jpeg-js are loaded with a dynamic import of a computed specifier, on first use only:
 * nothing imports them at module load, the browser bundle never contains them, and the core
 * type-check does not pull in Node's types (the few members used are typed below).
 * Must not import: tfjs, DOM.
 */
import { errorMessage, FileFormatError } from './formatError';
import { readImageDims, sniffImageType, type DecodableImageType } from './imageSniff';
import { JPEG_JS_BYTES_PER_PIXEL, NODE_DECODE_BYTES, PNGJS_BYTES_PER_PIXEL } from './limits';
import { formatBytes } from './paths';
import type { DecodedPixels, ImageDecoder } from './types';

/** Largest image jpeg-js may decode, in megapixels. */
const JPEG_MAX_MP = NODE_DECODE_BYTES / JPEG_JS_BYTES_PER_PIXEL / 1e6;
/** jpeg-js's own count of what it allocates is below what it holds; this backs up JPEG_MAX_MP. */
const JPEG_MAX_MEMORY_MB = (2 * NODE_DECODE_BYTES) / 2 ** 20;

interface PngjsModule {
  PNG: { sync: { read(buffer: Uint8Array): { width: number; height: number; data: Uint8Array } } };
}
interface JpegJsModule {
  decode(
    data: Uint8Array,
    opts: { useTArray: true; formatAsRGBA: true; maxResolutionInMP: number; maxMemoryUsageInMB: number },
  ): { width: number; height: number; data: Uint8Array };
}
interface NodeBufferClass {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array;
}

/** Imports a package by name at run time; the computed name keeps bundlers from following it. */
async function importPackage<T>(name: string): Promise<T> {
  const mod = (await import(/* @vite-ignore */ name)) as T & { default?: T };
  return mod.default ?? mod;
}

let pngjs: Promise<PngjsModule> | null = null;
let jpegJs: Promise<JpegJsModule> | null = null;
const packages = { png: 'pngjs', jpeg: 'jpeg-js' } as const;

/** Throws FileFormatError when the header asks for more decoding memory than NODE_DECODE_BYTES. */
function checkDecodeMemory(bytes: Uint8Array, type: DecodableImageType, path: string): void {
  const dims = readImageDims(bytes, type);
  if (!dims) return; // the decoder reports the unreadable header
  const perPixel = type === 'png' ? PNGJS_BYTES_PER_PIXEL : JPEG_JS_BYTES_PER_PIXEL;
  const need = dims.width * dims.height * perPixel;
  if (need > NODE_DECODE_BYTES) {
    const maxSide = Math.floor(Math.sqrt(NODE_DECODE_BYTES / perPixel));
    throw new FileFormatError(path, `is ${dims.width}×${dims.height} pixels, too large to decode in Node within its memory limit: shrink it (to about ${maxSide}×${maxSide} pixels or fewer) or import it in the browser (decoding it here would hold about ${formatBytes(need)}, the limit is ${formatBytes(NODE_DECODE_BYTES)})`);
  }
}

async function decodePng(bytes: Uint8Array, path: string): Promise<DecodedPixels> {
  pngjs ??= importPackage<PngjsModule>(packages.png);
  const { PNG } = await pngjs;
  const NodeBuffer = (globalThis as unknown as { Buffer?: NodeBufferClass }).Buffer;
  if (!NodeBuffer) throw new FileFormatError(path, 'the Node image decoder runs only under Node.js; use the browser decoder');
  try {
    const png = PNG.sync.read(NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { data: png.data, width: png.width, height: png.height };
  } catch (e) {
    throw new FileFormatError(path, `is a corrupt or unsupported PNG (${errorMessage(e)})`);
  }
}

async function decodeJpeg(bytes: Uint8Array, path: string): Promise<DecodedPixels> {
  jpegJs ??= importPackage<JpegJsModule>(packages.jpeg);
  const { decode } = await jpegJs;
  try {
    const img = decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: JPEG_MAX_MP, maxMemoryUsageInMB: JPEG_MAX_MEMORY_MB });
    return { data: img.data, width: img.width, height: img.height };
  } catch (e) {
    throw new FileFormatError(path, `is a corrupt or unsupported JPEG (${errorMessage(e)})`);
  }
}

/**
 * Decodes PNG and JPEG to RGBA in Node. Throws FileFormatError (message starting with the path)
 * for WebP ("WebP needs the browser"), other formats and corrupt files.
 */
export const nodeImageDecoder: ImageDecoder = async (bytes, path) => {
  const type = sniffImageType(bytes);
  if (type === 'png' || type === 'jpeg') checkDecodeMemory(bytes, type, path);
  if (type === 'png') return decodePng(bytes, path);
  if (type === 'jpeg') return decodeJpeg(bytes, path);
  if (type === 'webp') throw new FileFormatError(path, 'is a WebP image: WebP needs the browser (Node has no WebP decoder here); convert it to PNG or JPEG to import it from Node');
  throw new FileFormatError(path, `is ${type ? `a ${type.toUpperCase()} image` : 'not an image'}; only PNG and JPEG decode in Node (PNG, JPEG and WebP in the browser)`);
};

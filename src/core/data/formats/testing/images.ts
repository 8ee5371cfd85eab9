/**
 * Test helpers: real PNG files from a small hand-written encoder (filter 0 scanlines, zlib through
 * fflate, CRC-32 per chunk), PNG and WebP headers that claim any size without pixel data, and
 * JPEG files through jpeg-js (loaded at run time, as the Node decoder does).
 * Test-only: nothing outside *.test.ts imports this.
 * Must not import: tfjs, DOM.
 */
import { strToU8, zlibSync } from 'fflate';
import { crc32 } from '../crc32';
import { concat } from './archives';

/** Deterministic RGBA [height, width, 4] pattern, opaque. */
export function patternRgba(width: number, height: number, seed = 0): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      out[o] = (x * 37 + seed * 11) & 255;
      out[o + 1] = (y * 53 + seed * 7) & 255;
      out[o + 2] = (x * y + seed * 3) & 255;
      out[o + 3] = 255;
    }
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length, false);
  out.set(strToU8(type), 4);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)), false);
  return out;
}

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function ihdr(width: number, height: number, colorType: number): Uint8Array {
  const d = new Uint8Array(13);
  const v = new DataView(d.buffer);
  v.setUint32(0, width, false);
  v.setUint32(4, height, false);
  d[8] = 8; // bit depth
  d[9] = colorType;
  return chunk('IHDR', d);
}

/** A valid 8-bit PNG of `rgba` ([height, width, 4]); stored as RGBA, RGB (alpha dropped) or gray (R channel). */
export function makePng(width: number, height: number, rgba: Uint8Array, mode: 'rgba' | 'rgb' | 'gray' = 'rgba'): Uint8Array {
  const channels = mode === 'rgba' ? 4 : mode === 'rgb' ? 3 : 1;
  const raw = new Uint8Array(height * (1 + width * channels));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * channels); // filter byte 0 (None)
    for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) raw[row + 1 + x * channels + c] = rgba[(y * width + x) * 4 + c]!;
  }
  const colorType = mode === 'rgba' ? 6 : mode === 'rgb' ? 2 : 0;
  return concat([PNG_SIGNATURE, ihdr(width, height, colorType), chunk('IDAT', zlibSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

/** A PNG whose IHDR claims width × height but that carries no real pixel data (for size checks). */
export function makePngHeaderOnly(width: number, height: number): Uint8Array {
  return concat([PNG_SIGNATURE, ihdr(width, height, 6), chunk('IDAT', zlibSync(new Uint8Array(16))), chunk('IEND', new Uint8Array(0))]);
}

/** A RIFF/WEBP file with a VP8X header claiming width × height (not decodable: no image data). */
export function makeWebpHeaderOnly(width: number, height: number): Uint8Array {
  const out = new Uint8Array(30);
  const v = new DataView(out.buffer);
  out.set(strToU8('RIFF'), 0);
  v.setUint32(4, 22, true);
  out.set(strToU8('WEBPVP8X'), 8);
  v.setUint32(16, 10, true);
  const w = width - 1;
  const h = height - 1;
  out.set([w & 255, (w >> 8) & 255, (w >> 16) & 255, h & 255, (h >> 8) & 255, (h >> 16) & 255], 24);
  return out;
}

interface JpegEncoder {
  encode(img: { data: Uint8Array; width: number; height: number }, quality: number): { data: Uint8Array };
}

/** A baseline JPEG of `rgba` through jpeg-js (Node only). */
export async function makeJpeg(width: number, height: number, rgba: Uint8Array, quality = 95): Promise<Uint8Array> {
  const name = 'jpeg-js';
  const mod = (await import(/* @vite-ignore */ name)) as JpegEncoder & { default?: JpegEncoder };
  const { data } = (mod.default ?? mod).encode({ data: rgba, width, height }, quality);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

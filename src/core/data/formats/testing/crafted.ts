/**
 * Test and bench helpers: crafted untrusted files for the importers' budgets and integrity checks
 * (issue 16) — deflate bombs built from one repeated block (so gigabytes of declared output cost
 * kilobytes and milliseconds to make), gzip files with lying trailers, zips written field by field
 * (lying sizes, wrong CRCs, zips of zips), and image headers that declare huge sizes.
 * Test-only: nothing outside *.test.ts and bench/untrusted imports this.
 * Must not import: tfjs, DOM.
 */
import { Deflate, deflateSync, gzipSync, strToU8 } from 'fflate';
import { crc32 } from '../crc32';
import { concat } from './archives';

const MIB = 1024 * 1024;
const ZERO_MIB = new Uint8Array(MIB);

/**
 * A raw deflate stream of `mib` MiB of zero bytes: the deflate of one MiB of zeros (a literal zero,
 * then matches at distance 1, so valid anywhere after a zero) closed by a sync flush, which makes
 * it end on a byte boundary, repeated `mib` times, then an empty final block.
 */
export function zeroDeflate(mib: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  const stream = new Deflate({ level: 9 }, (chunk) => chunks.push(chunk));
  stream.push(ZERO_MIB);
  stream.flush(true);
  const segment = concat(chunks);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < mib; i++) parts.push(segment);
  parts.push(Uint8Array.of(0x03, 0x00)); // final fixed-Huffman block holding only end-of-block
  return concat(parts);
}

/** CRC-32 of `mib` MiB of zero bytes. */
export function crcOfZeros(mib: number): number {
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = crc32(ZERO_MIB, crc);
  return crc;
}

/** A gzip member around a raw deflate stream with the given trailer. */
export function gzipOf(deflated: Uint8Array, crc: number, size: number): Uint8Array {
  const header = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3);
  const trailer = new Uint8Array(8);
  const v = new DataView(trailer.buffer);
  v.setUint32(0, crc >>> 0, true);
  v.setUint32(4, size >>> 0, true);
  return concat([header, deflated, trailer]);
}

/** A gzip of `mib` MiB of zeros whose trailer says it holds 1000 bytes (the CRC of nothing real). */
export function lyingGzip(mib: number): Uint8Array {
  return gzipOf(zeroDeflate(mib), 0, 1000);
}

/** An honest gzip of `mib` MiB of zeros. */
export function zerosGzip(mib: number): Uint8Array {
  return gzipOf(zeroDeflate(mib), crcOfZeros(mib), (mib * MIB) % 2 ** 32);
}

/** One zip entry written field by field: `data` is what is stored (deflated when method 8). */
export interface RawZipEntry {
  name: string;
  method: 0 | 8;
  data: Uint8Array;
  crc: number;
  size: number;
}

/** A zip of raw entries (local headers, central directory, end record), no checks of its own. */
export function rawZip(entries: RawZipEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = strToU8(e.name);
    const fixed = (sig: number, n: number): [Uint8Array, DataView] => {
      const h = new Uint8Array(n + name.length);
      const v = new DataView(h.buffer);
      v.setUint32(0, sig, true);
      h.set(name, n);
      return [h, v];
    };
    const [local, lv] = fixed(0x04034b50, 30);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, e.method, true);
    lv.setUint32(14, e.crc >>> 0, true);
    lv.setUint32(18, e.data.length, true);
    lv.setUint32(22, e.size, true);
    lv.setUint16(26, name.length, true);
    const [central, cv] = fixed(0x02014b50, 46);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, e.method, true);
    cv.setUint32(16, e.crc >>> 0, true);
    cv.setUint32(20, e.data.length, true);
    cv.setUint32(24, e.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    locals.push(local, e.data);
    centrals.push(central);
    offset += local.length + e.data.length;
  }
  const directory = concat(centrals);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, directory.length, true);
  ev.setUint32(16, offset, true);
  return concat([...locals, directory, end]);
}

/** A deflated zip entry of `bytes`, honest unless its fields are overridden. */
export function deflatedEntry(name: string, bytes: Uint8Array, override: Partial<RawZipEntry> = {}): RawZipEntry {
  return { name, method: 8, data: deflateSync(bytes), crc: crc32(bytes), size: bytes.length, ...override };
}

/** A stored zip of `count` zips, each holding `mibEach` MiB of zeros, all declarations honest. */
export function zipOfZips(count: number, mibEach: number): Uint8Array {
  const inner = rawZip([{ name: 'zeros.bin', method: 8, data: zeroDeflate(mibEach), crc: crcOfZeros(mibEach), size: mibEach * MIB }]);
  return rawZip(Array.from({ length: count }, (_, i) => ({ name: `part${i}.zip`, method: 0 as const, data: inner, crc: crc32(inner), size: inner.length })));
}

/** `bytes` gzipped `levels` times, each named inside the next ("x.gz.gz…"). */
export function nestedGzip(bytes: Uint8Array, levels: number): Uint8Array {
  let out = bytes;
  for (let i = 0; i < levels; i++) out = gzipSync(out);
  return out;
}

/** A JPEG that is only a start-of-image and a baseline frame header declaring width × height. */
export function jpegSofOnly(width: number, height: number): Uint8Array {
  const sof = [0xff, 0xc0, 0, 17, 8, height >> 8, height & 255, width >> 8, width & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return Uint8Array.of(0xff, 0xd8, ...sof, 0xff, 0xd9);
}

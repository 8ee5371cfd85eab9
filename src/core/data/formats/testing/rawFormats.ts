/**
 * Test helpers: builds real CIFAR binary batches and MNIST IDX files with known pixels and labels,
 * and the expected HWC pixels of a CIFAR record, for the importer tests and timing checks.
 * Test-only: nothing outside *.test.ts imports this.
 * Must not import: tfjs, DOM.
 */

/** Deterministic pixel value of CIFAR record r, channel c, row y, column x. */
export const cifarPixel = (r: number, c: number, y: number, x: number): number => (r * 31 + c * 85 + y * 7 + x * 3) & 255;

/**
 * A CIFAR binary batch: per record [coarse (CIFAR-100 only)] label, then R, G, B planes of 32×32
 * filled by `pixel`. `coarse` defaults to label % 20.
 */
export function makeCifarBin(variant: 'cifar10' | 'cifar100', labels: readonly number[], pixel = cifarPixel, coarse?: readonly number[]): Uint8Array {
  const head = variant === 'cifar10' ? 1 : 2;
  const rec = head + 3072;
  const out = new Uint8Array(labels.length * rec);
  labels.forEach((label, r) => {
    const off = r * rec;
    if (variant === 'cifar100') out[off] = coarse?.[r] ?? label % 20;
    out[off + head - 1] = label;
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[off + head + c * 1024 + y * 32 + x] = pixel(r, c, y, x);
  });
  return out;
}

/** Expected [32, 32, 3] HWC pixels of record r. */
export function cifarRecordHwc(r: number, pixel = cifarPixel): Uint8Array {
  const out = new Uint8Array(3072);
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) for (let c = 0; c < 3; c++) out[(y * 32 + x) * 3 + c] = pixel(r, c, y, x);
  return out;
}

function idxHeader(magic: number, dims: number[]): Uint8Array {
  const h = new Uint8Array(4 + 4 * dims.length);
  const v = new DataView(h.buffer);
  v.setUint32(0, magic, false);
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  return h;
}

/** An IDX images file (magic 0x00000803) of n rows×cols images; `pixels` is [n, rows, cols]. */
export function makeIdxImages(pixels: Uint8Array, n: number, rows: number, cols: number, magic = 0x00000803): Uint8Array {
  const h = idxHeader(magic, [n, rows, cols]);
  const out = new Uint8Array(h.length + pixels.length);
  out.set(h);
  out.set(pixels, h.length);
  return out;
}

/** An IDX labels file (magic 0x00000801). */
export function makeIdxLabels(labels: readonly number[]): Uint8Array {
  const h = idxHeader(0x00000801, [labels.length]);
  const out = new Uint8Array(h.length + labels.length);
  out.set(h);
  out.set(labels, h.length);
  return out;
}

/** Deterministic gray [n, rows, cols] pixels. */
export function idxPixels(n: number, rows: number, cols: number): Uint8Array {
  const out = new Uint8Array(n * rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (i * 13 + Math.floor(i / (rows * cols)) * 29) & 255;
  return out;
}

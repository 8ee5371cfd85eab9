/**
 * Weight layouts between our tfjs model and PyTorch, on plain typed arrays (exact, no tfjs):
 *   conv kernels   ours HWIO [kh, kw, cin, cout]  ↔  torch OIHW [cout, cin, kh, kw]
 *   linear weights ours [in, out]                 ↔  torch [out, in]
 *   everything else (BN vectors, biases, scalars, the ViT's rank-3 cls_token / pos_embed) is the
 *   same in both.
 * In this model family the rank alone tells the kind (rank 4 = conv kernel, rank 2 = linear
 * weight; see models/paramStore.ts; the one exception is the DINO/iBOT `center` [1, K], kept as it
 * is), so the same rule also serves tensors shaped like them, e.g. optimizer momentum buffers. The tensor name is used in messages only.
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */
import type { HostTensor } from '../state/hostTensor';

/** A row-major typed array with its shape. */
export interface Strided<T extends Float32Array | Int32Array> {
  data: T;
  shape: number[];
}

function checkSize(what: string, data: { length: number }, shape: readonly number[], rank: number): void {
  const numel = shape.reduce((a, b) => a * b, 1);
  if (shape.length !== rank || numel !== data.length) {
    throw new RangeError(`${what}: expected a rank-${rank} tensor whose shape matches its ${data.length} values, got shape [${shape.join(', ')}]`);
  }
}

const like = <T extends Float32Array | Int32Array>(data: T, n: number): T => new (data.constructor as new (n: number) => T)(n);

/** HWIO [kh, kw, cin, cout] → OIHW [cout, cin, kh, kw] (a new array). */
export function hwioToOihw<T extends Float32Array | Int32Array>(data: T, shape: readonly number[], what = 'conv kernel'): Strided<T> {
  checkSize(what, data, shape, 4);
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  const out = like(data, data.length);
  for (let h = 0; h < kh; h++) {
    for (let w = 0; w < kw; w++) {
      for (let i = 0; i < cin; i++) {
        const src = ((h * kw + w) * cin + i) * cout; // HWIO offset of [h, w, i, 0]
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + h) * kw + w] = data[src + o]!;
      }
    }
  }
  return { data: out, shape: [cout, cin, kh, kw] };
}

/** OIHW [cout, cin, kh, kw] → HWIO [kh, kw, cin, cout] (a new array). */
export function oihwToHwio<T extends Float32Array | Int32Array>(data: T, shape: readonly number[], what = 'conv kernel'): Strided<T> {
  checkSize(what, data, shape, 4);
  const [cout, cin, kh, kw] = shape as [number, number, number, number];
  const out = like(data, data.length);
  for (let o = 0; o < cout; o++) {
    for (let i = 0; i < cin; i++) {
      const src = (o * cin + i) * kh * kw; // OIHW offset of [o, i, 0, 0]
      for (let h = 0; h < kh; h++) for (let w = 0; w < kw; w++) out[((h * kw + w) * cin + i) * cout + o] = data[src + h * kw + w]!;
    }
  }
  return { data: out, shape: [kh, kw, cin, cout] };
}

/** [rows, cols] → [cols, rows] (a new array). Its own inverse. */
export function transpose2d<T extends Float32Array | Int32Array>(data: T, shape: readonly number[], what = 'linear weight'): Strided<T> {
  checkSize(what, data, shape, 2);
  const [rows, cols] = shape as [number, number];
  const out = like(data, data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return { data: out, shape: [cols, rows] };
}

/**
 * The one rank-2 tensor that is not a linear weight: DINO's / iBOT's `center` buffer, [1, K] in both
 * (register_buffer("center", torch.zeros(1, out_dim))). (iBOT's masked_embed, torch [1, D], is
 * stored [D, 1] by models/vit.ts so the linear rule maps it right.)
 */
const isKeptRank2 = (name: string): boolean => /(^|\.)center$/.test(name);

/** One of our tensors in PyTorch layout. Rank 1 / 0 tensors are returned as they are (same object). */
export function toTorchLayout(name: string, t: HostTensor): HostTensor {
  if (isKeptRank2(name)) return t;
  if (t.shape.length === 4) return { dtype: t.dtype, ...hwioToOihw(t.data, t.shape, `"${name}"`) };
  if (t.shape.length === 2) return { dtype: t.dtype, ...transpose2d(t.data, t.shape, `"${name}"`) };
  return t;
}

/** A PyTorch-layout tensor in our layout. Rank 1 / 0 tensors are returned as they are (same object). */
export function fromTorchLayout(name: string, t: HostTensor): HostTensor {
  if (isKeptRank2(name)) return t;
  if (t.shape.length === 4) return { dtype: t.dtype, ...oihwToHwio(t.data, t.shape, `"${name}"`) };
  if (t.shape.length === 2) return { dtype: t.dtype, ...transpose2d(t.data, t.shape, `"${name}"`) };
  return t;
}

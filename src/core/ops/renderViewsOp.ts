/**
 * Op contract of the fused view renderer, kernel 'HvpRenderViews', and the front door every caller
 * uses to put dataset images on the device and render views from them.
 *
 * Kernel contract (same pipeline and formulas as renderViewsReference, renderViews.ts):
 *   inputs  images   int32 [numSourceImages, wordsPerImage]: uint8 RGB pixels packed four per word,
 *                    little-endian (byte b of an image is bits 8·(b mod 4) … of word b div 4);
 *                    an image's H·W·3 bytes start at a word boundary (zero padding at the end of an
 *                    image only when H·W·3 is not a multiple of 4)
 *           params   float32 [V, VIEW_PARAM_STRIDE]: packViewParams' layout, view-major v = k·M + m
 *           imageIdx int32 [M]: view v renders source image imageIdx[v mod M]
 *   attrs   RenderViewsAttrs
 *   output  float32 [V, outSize, outSize, 3] in [0, 1], or normalised ((x − attrs.mean[c]) /
 *           attrs.std[c], the run's statistics, data/normalization.ts) when attrs.normalize.
 *           mean and std are runtime values (the WGSL kernel reads them from its uniforms), so
 *           one compiled shader serves every dataset.
 * The packed source holds a quarter of float32's bytes. A backend runs the packed path only when the
 * kernel is registered for it: 'webgpu' (gpu/register.ts), 'cpu' (registered below, on
 * top of renderViewsReference) and 'wasm' (the same function, core/engine/wasmKernels.ts). Elsewhere (webgl, custom backends) the images stay float32 0..255
 * [n, H, W, 3] and rendering falls back to the stock-op renderer renderViewsTf.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { Normalization } from '../data/normalization';
import type { ViewParams } from '../data/types';
import { packViewParams, unpackViewParams, VIEW_PARAM_OFFSETS, VIEW_PARAM_STRIDE } from '../data/viewParams';
import { normalizeViewsReference, renderViewsReference } from './renderViews';
import { normalizeViews, renderViewsTf } from './renderViewsTf';

// Re-exported for gpu/ (which may import core/ops only): the parameter layout the kernel reads.
export { VIEW_PARAM_OFFSETS, VIEW_PARAM_STRIDE };

/** Registered kernel name of the fused view renderer. */
export const RENDER_VIEWS_KERNEL = 'HvpRenderViews';

/** Attributes of {@link RENDER_VIEWS_KERNEL}. */
export interface RenderViewsAttrs {
  /** Output view size S (views are S × S). */
  outSize: number;
  /** M, the batch's image count (= imageIdx length); V must be a multiple of it. */
  numImages: number;
  /** Source image height H in pixels. */
  srcHeight: number;
  /** Source image width W in pixels. */
  srcWidth: number;
  /** Return (x − mean[c]) / std[c] per channel instead of [0, 1] values. */
  normalize: boolean;
  /** Per-channel (R, G, B) mean in [0, 1] units; [0, 0, 0] when not normalising. */
  mean: [number, number, number];
  /** Per-channel std (> 0); [1, 1, 1] when not normalising. */
  std: [number, number, number];
}

/** Device layout of the source images. */
export type SourceFormat = 'packedU8' | 'float32';

/** Dataset images on the device, as uploaded by {@link uploadSourceImages}. The caller owns `tensor`. */
export interface SourceImages {
  /** packedU8: int32 [numImages, wordsPerImage]; float32: [numImages, H, W, 3] with values 0..255. */
  readonly tensor: tf.Tensor;
  readonly format: SourceFormat;
  readonly numImages: number;
  readonly height: number;
  readonly width: number;
}

/** int32 words per packed image: ceil(H·W·3 / 4). */
export const packedWordsPerImage = (height: number, width: number): number => Math.ceil((height * width * 3) / 4);

/** True when the view kernel is registered for `backendName` (default: the current backend). */
export function hasRenderViewsKernel(backendName: string = tf.getBackend()): boolean {
  return tf.getKernel(RENDER_VIEWS_KERNEL, backendName) != null;
}

/**
 * Packs uint8 images [n, H, W, 3] four bytes per int32 word, [n · wordsPerImage]. Zero copy (a view
 * on u8's bytes) when the bytes are 4-aligned and H·W·3 is a multiple of 4; else a padded copy.
 */
export function packSourceImages(u8: Uint8Array, n: number, h: number, w: number): Int32Array {
  const bytesPerImage = h * w * 3;
  if (u8.length !== n * bytesPerImage) throw new RangeError(`packSourceImages: ${u8.length} bytes is not ${n}×${h}×${w}×3`);
  const wordsPerImage = packedWordsPerImage(h, w);
  if (bytesPerImage % 4 === 0 && u8.byteOffset % 4 === 0) return new Int32Array(u8.buffer, u8.byteOffset, n * wordsPerImage);
  const padded = new Uint8Array(n * wordsPerImage * 4);
  for (let i = 0; i < n; i++) padded.set(u8.subarray(i * bytesPerImage, (i + 1) * bytesPerImage), i * wordsPerImage * 4);
  return new Int32Array(padded.buffer);
}

/**
 * Uploads uint8 images [n, H, W, 3] for rendering: packed when the current backend has the view
 * kernel, else float32 0..255. NOTE: the packed tensor may alias `u8` (zero copy): do not mutate
 * u8 while the tensor lives.
 * @param format force a format (tests); the default picks by kernel availability
 */
export function uploadSourceImages(u8: Uint8Array, n: number, h: number, w: number, format?: SourceFormat): SourceImages {
  const f = format ?? (hasRenderViewsKernel() ? 'packedU8' : 'float32');
  const tensor = f === 'packedU8'
    ? tf.tensor2d(packSourceImages(u8, n, h, w), [n, packedWordsPerImage(h, w)], 'int32') // [n, wordsPerImage]
    : tf.tensor4d(Float32Array.from(u8), [n, h, w, 3], 'float32'); // [n, H, W, 3]
  return { tensor, format: f, numImages: n, height: h, width: w };
}

/** Parameters that render the whole H × W image resized to the view: full crop, no flip, jitter, blur. */
export function identityViewParams(height: number, width: number): ViewParams {
  return {
    top: 0, left: 0, height, width, isFlipped: false, hasJitter: false, brightness: 1, contrast: 1,
    saturation: 1, hue: 0, jitterOrder: [0, 1, 2, 3], isGrayscale: false, blurSigma: 0, isSolarized: false,
  };
}

/** Throws a RangeError when a crop box leaves the H × W source. */
function checkCropBoxes(params: ViewParams[], H: number, W: number): void {
  params.forEach((p, v) => {
    if (p.top < 0 || p.left < 0 || p.height < 1 || p.width < 1 || p.top + p.height > H || p.left + p.width > W) {
      throw new RangeError(`renderViews: crop box of view ${v} leaves the ${H}×${W} image`);
    }
  });
}

/** Options of {@link renderViews}. */
export interface RenderViewsOptions {
  /**
   * Normalise the views ((x − mean) / std per channel) with these statistics, as the model expects
   * (the trainer's `normalization`); absent: [0, 1] values, for display.
   */
  normalization?: Pick<Normalization, 'mean' | 'std'>;
}

/**
 * Renders N·M views of a batch from device-resident source images on the current backend: the
 * view kernel for packed sources, renderViewsTf (+ normalizeViews) for float32 sources.
 * @param imageIdx int32 [M]; view v uses source image imageIdx[v mod M] (not range-checked on GPUs:
 *   a bad index renders zeros there; the cpu kernel throws)
 * @param params N·M view parameters, view-major (v = k·M + m)
 * @returns views [N·M, outSize, outSize, 3] float32. The caller owns it.
 */
export function renderViews(
  src: SourceImages, imageIdx: tf.Tensor1D, params: ViewParams[], outSize: number, options: RenderViewsOptions = {},
): tf.Tensor4D {
  const M = imageIdx.shape[0];
  if (M === 0 || params.length % M !== 0) throw new RangeError(`renderViews: ${params.length} view params is not a multiple of ${M} images`);
  if (!Number.isInteger(outSize) || outSize < 1) throw new RangeError(`renderViews: outSize must be a positive integer, got ${outSize}`);
  checkCropBoxes(params, src.height, src.width);
  const norm = options.normalization;
  if (src.format === 'float32') {
    return tf.tidy(() => {
      const raw = renderViewsTf(src.tensor as tf.Tensor4D, imageIdx, params, outSize); // [V, S, S, 3]
      return norm ? normalizeViews(raw, norm) : raw;
    });
  }
  if (!hasRenderViewsKernel()) {
    throw new Error(`renderViews: the images were uploaded packed, but backend '${tf.getBackend()}' has no ${RENDER_VIEWS_KERNEL} kernel; upload them again after switching backends`);
  }
  const attrs: RenderViewsAttrs = {
    outSize, numImages: M, srcHeight: src.height, srcWidth: src.width, normalize: norm !== undefined,
    mean: norm ? [norm.mean[0], norm.mean[1], norm.mean[2]] : [0, 0, 0],
    std: norm ? [norm.std[0], norm.std[1], norm.std[2]] : [1, 1, 1],
  };
  return tf.tidy(() => {
    const packed = tf.tensor2d(packViewParams(params), [params.length, VIEW_PARAM_STRIDE]); // [V, 20]
    const idx = imageIdx.dtype === 'int32' ? imageIdx : tf.cast(imageIdx, 'int32');
    const inputs = { images: src.tensor, params: packed, imageIdx: idx };
    return tf.engine().runKernel(RENDER_VIEWS_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  });
}

/** Backend methods the kernel uses: MathBackendCPU has readSync and makeTensorInfo; BackendWasm has readSync,
 * makeOutput and typedArrayFromHeap (a view of its heap, no copy). */
interface CpuBackendLike {
  readSync(dataId: object): unknown;
  makeTensorInfo?(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
  makeOutput?(shape: number[], dtype: tf.DataType, memoryOffset: undefined, values: Float32Array): tf.TensorInfo;
  typedArrayFromHeap?(t: tf.TensorInfo): unknown;
}

/**
 * cpu (and wasm, core/engine/wasmKernels.ts) implementation of {@link RENDER_VIEWS_KERNEL}: unpacks the bytes and runs renderViewsReference
 * (float64) on the float32-rounded parameters. Synchronous reads are fine on the cpu backend.
 */
export function renderViewsCpuKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { images, params, imageIdx } = args.inputs;
  if (!images || !params || !imageIdx) throw new Error(`${RENDER_VIEWS_KERNEL}: inputs images, params and imageIdx are required`);
  const attrs = args.attrs as unknown as RenderViewsAttrs;
  const backend = args.backend as CpuBackendLike;
  const { srcHeight: H, srcWidth: W, outSize: S } = attrs;
  if (H !== W) throw new RangeError(`${RENDER_VIEWS_KERNEL} (cpu): the reference renderer needs square sources, got ${H}×${W}`);
  const [n, wordsPerImage] = images.shape as [number, number];
  if (images.dtype !== 'int32' || wordsPerImage !== packedWordsPerImage(H, W)) {
    throw new Error(`${RENDER_VIEWS_KERNEL}: images must be packed int32 [n, ${packedWordsPerImage(H, W)}], got ${images.dtype} [${images.shape}]`);
  }
  // wasm: a view of its heap (reading the whole set would copy every image each step).
  const words = (backend.typedArrayFromHeap ? backend.typedArrayFromHeap(images) : backend.readSync(images.dataId)) as Int32Array;
  let bytes = new Uint8Array(words.buffer, words.byteOffset, n * wordsPerImage * 4);
  const bytesPerImage = H * W * 3;
  if (wordsPerImage * 4 !== bytesPerImage) { // drop each image's padding
    const dense = new Uint8Array(n * bytesPerImage);
    for (let i = 0; i < n; i++) dense.set(bytes.subarray(i * wordsPerImage * 4, i * wordsPerImage * 4 + bytesPerImage), i * bytesPerImage);
    bytes = dense;
  }
  const packed = backend.readSync(params.dataId) as Float32Array;
  const V = params.shape[0]!;
  const idx = backend.readSync(imageIdx.dataId) as Int32Array;
  if (idx.length !== attrs.numImages) throw new RangeError(`${RENDER_VIEWS_KERNEL}: imageIdx has ${idx.length} entries, attrs.numImages is ${attrs.numImages}`);
  const viewParams = Array.from({ length: V }, (_, v) => unpackViewParams(packed, v));
  let out = renderViewsReference(bytes, idx, H, viewParams, S); // [V, S, S, 3]
  if (attrs.normalize) out = normalizeViewsReference(out, attrs);
  if (backend.makeTensorInfo) return backend.makeTensorInfo([V, S, S, 3], 'float32', out);
  if (backend.makeOutput) return backend.makeOutput([V, S, S, 3], 'float32', undefined, out);
  throw new Error(`${RENDER_VIEWS_KERNEL}: backend '${tf.getBackend()}' can make no output tensor`);
}

// The cpu backend also runs the packed path, so Node (CLI, tests) exercises this contract.
if (tf.getKernel(RENDER_VIEWS_KERNEL, 'cpu') == null) {
  tf.registerKernel({ kernelName: RENDER_VIEWS_KERNEL, backendName: 'cpu', kernelFunc: renderViewsCpuKernel as unknown as tf.KernelFunc });
}

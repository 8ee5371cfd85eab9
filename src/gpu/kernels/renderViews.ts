/**
 * WGSL view kernel 'HvpRenderViews' (contract and reference: core/ops/renderViewsOp.ts,
 * core/ops/renderViews.ts): renders all V = N·M views of a batch in ONE dispatch, blur included.
 *
 * Design: one workgroup of WG threads per view. A view's S·S·3 values live in a tile — workgroup
 * memory when it fits the device's maxComputeWorkgroupStorageSize (S ≤ 36 at the 16 KiB minimum),
 * else the view's own slice of the output buffer, synchronised with storageBarrier. Phases:
 *   1. crop + bilinear + flip: each thread renders pixels lid, lid + WG, … from the packed u8
 *      source (four bytes per i32 word, extracted with shifts) into the tile.
 *   2. jitter, 4 positions in the view's order: brightness / saturation / hue are per pixel on the
 *      thread's own pixels; contrast needs the view's mean luma, a workgroup reduction.
 *   3. grayscale per pixel.
 *   4. Gaussian blur, separable with reflect padding: one task per (row, channel) line copies the
 *      line into registers and writes the blurred line back, then the same per column. Neighbours
 *      come after the colour steps, which is why blur works on the tile rather than recomputing them.
 *   5. solarize and optional normalisation, written to the output. The normalisation's mean and std
 *      are uniforms normMean / normStd (the run's per-dataset statistics; `std` is a reserved word
 *      in WGSL), not shader constants: one pipeline per (S, scratch) serves every dataset.
 * Barriers must sit in uniform control flow, and everything read from `params` at a per-view index
 * counts as non-uniform, so every barrier runs unconditionally (the contrast reduction at each
 * jitter position, both blur passes) and only the work inside is conditional: 11 barriers
 * per view, against dozens of dispatches for the stock-op renderer (core/ops/renderViewsTf.ts).
 * Must not import: core/ other than core/ops, worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { GRAY_WEIGHTS } from '../../core/ops/renderViewsColor';
import { MAX_BLUR_RADIUS } from '../../core/ops/renderViews';
import {
  packedWordsPerImage, RENDER_VIEWS_KERNEL, VIEW_PARAM_OFFSETS as O, VIEW_PARAM_STRIDE,
  type RenderViewsAttrs,
} from '../../core/ops/renderViewsOp';

/** Threads per workgroup (one workgroup renders one view). */
const WG = 64;

/** Where a view's working values live: workgroup memory or its slice of the output buffer. */
export type ViewScratch = 'shared' | 'global';

/** Bytes of workgroup memory the shared variant needs for S × S views. */
export const sharedBytesFor = (S: number): number => 4 * (S * S * 3 + WG);

/** WGSL float literal (always with a decimal point or exponent). */
const f = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));

/** Tile accessors of the two scratch variants. */
function tileSnippet(scratch: ViewScratch): string {
  if (scratch === 'shared') {
    return `
      var<workgroup> tile : array<f32, NVAL>;
      fn ld(view : i32, i : i32) -> f32 { return tile[i]; }
      fn st(view : i32, i : i32, x : f32) { tile[i] = x; }
      fn sync() { workgroupBarrier(); }`;
  }
  return `
      fn ld(view : i32, i : i32) -> f32 { return result[view * NVAL + i]; }
      fn st(view : i32, i : i32, x : f32) { result[view * NVAL + i] = x; }
      fn sync() { storageBarrier(); workgroupBarrier(); }`;
}

/** WGSL helpers: params access, packed bytes, bilinear axis, colour formulas (renderViewsColor.ts). */
const HELPERS = `
      fn P(view : i32, k : i32) -> f32 { return params[view * ${VIEW_PARAM_STRIDE} + k]; }
      // Byte b of the image starting at word wordBase, as 0..255.
      fn srcByte(wordBase : i32, b : i32) -> f32 {
        let word = u32(images[wordBase + (b >> 2u)]);
        return f32((word >> (u32(b & 3) * 8u)) & 255u);
      }
      // Bilinear source sample along one axis: (i0, i1, weight of i1), half-pixel centres, clamped.
      fn axisSample(o : i32, start : f32, len : f32) -> vec3<f32> {
        let last = start + len - 1.0;
        let s = clamp(start + (f32(o) + 0.5) * len / f32(S) - 0.5, start, last);
        let i0 = floor(s);
        return vec3<f32>(i0, min(i0 + 1.0, last), s - i0);
      }
      fn gray(c : vec3<f32>) -> f32 { return dot(c, GRAY); }
      fn rgbToHsv(c : vec3<f32>) -> vec3<f32> {
        let maxc = max(c.r, max(c.g, c.b));
        let minc = min(c.r, min(c.g, c.b));
        let isGray = maxc == minc;
        let cr = maxc - minc;
        let s = cr / select(maxc, 1.0, isGray);
        let rgbc = (vec3<f32>(maxc) - c) / select(cr, 1.0, isGray);
        var h : f32;
        if (maxc == c.r) { h = rgbc.b - rgbc.g; }
        else if (maxc == c.g) { h = 2.0 + rgbc.r - rgbc.b; }
        else { h = 4.0 + rgbc.g - rgbc.r; }
        return vec3<f32>(fract(h / 6.0 + 1.0), s, maxc);
      }
      fn hsvToRgb(hsv : vec3<f32>) -> vec3<f32> {
        let h = hsv.x; let s = hsv.y; let v = hsv.z;
        let i6 = floor(h * 6.0);
        let fr = h * 6.0 - i6;
        let p = clamp(v * (1.0 - s), 0.0, 1.0);
        let q = clamp(v * (1.0 - s * fr), 0.0, 1.0);
        let t = clamp(v * (1.0 - s * (1.0 - fr)), 0.0, 1.0);
        let sector = ((i32(i6) % 6) + 6) % 6;
        switch (sector) {
          case 0: { return vec3<f32>(v, t, p); }
          case 1: { return vec3<f32>(q, v, p); }
          case 2: { return vec3<f32>(p, v, t); }
          case 3: { return vec3<f32>(p, q, v); }
          case 4: { return vec3<f32>(t, p, v); }
          default: { return vec3<f32>(v, p, q); }
        }
      }
      // Pointwise jitter op (0 brightness, 2 saturation, 3 hue; contrast uses the view mean).
      fn jitterPixel(op : i32, c : vec3<f32>, factor : f32, mean : f32) -> vec3<f32> {
        switch (op) {
          case 0: { return clamp(factor * c, vec3<f32>(0.0), vec3<f32>(1.0)); }
          case 1: { return clamp(factor * c + (1.0 - factor) * mean, vec3<f32>(0.0), vec3<f32>(1.0)); }
          case 2: { return clamp(factor * c + (1.0 - factor) * gray(c), vec3<f32>(0.0), vec3<f32>(1.0)); }
          case 3: {
            let hsv = rgbToHsv(c);
            return hsvToRgb(vec3<f32>(fract(hsv.x + factor), hsv.y, hsv.z));
          }
          default: { return c; }
        }
      }
      // torch 'reflect' padding index into [0, S), reflecting repeatedly when the radius exceeds S − 1.
      fn reflectIdx(i : i32) -> i32 {
        if (S == 1) { return 0; }
        let period = 2 * (S - 1);
        let k = ((i % period) + period) % period;
        return select(period - k, k, k < S);
      }
      fn ldPixel(view : i32, p : i32) -> vec3<f32> { return vec3<f32>(ld(view, 3 * p), ld(view, 3 * p + 1), ld(view, 3 * p + 2)); }
      fn stPixel(view : i32, p : i32, c : vec3<f32>) { st(view, 3 * p, c.r); st(view, 3 * p + 1, c.g); st(view, 3 * p + 2, c.b); }`;

/** The WGSL body (after tfjs's prelude) for S × S views. */
function userCode(S: number, scratch: ViewScratch): string {
  return `
      const S : i32 = ${S};
      const NPIX : i32 = ${S * S};
      const NVAL : i32 = ${S * S * 3};
      const WG : i32 = ${WG};
      const MAXR : i32 = ${MAX_BLUR_RADIUS};
      const GRAY = vec3<f32>(${GRAY_WEIGHTS.map(f).join(', ')});
      var<workgroup> partial : array<f32, WG>;
      ${tileSnippet(scratch)}
      ${HELPERS}

      fn main(index : i32) {
        let view = index / WG;
        let lid = index % WG;
        // 1. crop + bilinear resize + flip from the packed source (zeros for an out-of-range image).
        let img = imageIdx[view % uniforms.imageIdxShape];
        let hasImage = img >= 0 && img < uniforms.imagesShape.x;
        let wordBase = img * uniforms.imagesShape.y;
        let top = P(view, ${O.top}); let left = P(view, ${O.left});
        let height = P(view, ${O.height}); let width = P(view, ${O.width});
        let isFlipped = P(view, ${O.isFlipped}) != 0.0;
        for (var p = lid; p < NPIX; p += WG) {
          let oy = p / S;
          let ox = p % S;
          let ay = axisSample(oy, top, height);
          let ax = axisSample(select(ox, S - 1 - ox, isFlipped), left, width);
          let r0 = i32(ay.x) * uniforms.srcWidth; let r1 = i32(ay.y) * uniforms.srcWidth;
          let c0 = i32(ax.x); let c1 = i32(ax.y);
          for (var c = 0; c < 3; c++) {
            var x = 0.0;
            if (hasImage) {
              let t = mix(srcByte(wordBase, 3 * (r0 + c0) + c), srcByte(wordBase, 3 * (r0 + c1) + c), ax.z);
              let b = mix(srcByte(wordBase, 3 * (r1 + c0) + c), srcByte(wordBase, 3 * (r1 + c1) + c), ax.z);
              x = mix(t, b, ay.z) / 255.0;
            }
            st(view, 3 * p + c, x);
          }
        }
        // 2. colour jitter in the view's order (barriers unconditional: uniform control flow).
        let hasJitter = P(view, ${O.hasJitter}) != 0.0;
        for (var pos = 0; pos < 4; pos++) {
          let op = select(-1, i32(P(view, ${O.jitterOrder} + pos)), hasJitter);
          let factor = select(0.0, P(view, ${O.brightness} + op), op >= 0);
          var acc = 0.0;
          if (op == 1) {
            for (var p = lid; p < NPIX; p += WG) { acc += gray(ldPixel(view, p)); }
          }
          partial[lid] = acc;
          sync();
          var mean = 0.0;
          if (op == 1) {
            for (var k = 0; k < WG; k++) { mean += partial[k]; }
            mean /= f32(NPIX);
          }
          sync();
          if (op >= 0) {
            for (var p = lid; p < NPIX; p += WG) { stPixel(view, p, jitterPixel(op, ldPixel(view, p), factor, mean)); }
          }
        }
        // 3. grayscale.
        if (P(view, ${O.isGrayscale}) != 0.0) {
          for (var p = lid; p < NPIX; p += WG) { stPixel(view, p, vec3<f32>(gray(ldPixel(view, p)))); }
        }
        // 4. separable Gaussian blur: rows (along x), then columns; one task per (line, channel).
        let sigma = P(view, ${O.blurSigma});
        let radius = select(0, min(i32(ceil(3.0 * sigma)), MAXR), sigma > 0.0);
        var w : array<f32, ${2 * MAX_BLUR_RADIUS + 1}>;
        var total = 1.0;
        if (radius > 0) {
          total = 0.0;
          for (var i = -radius; i <= radius; i++) {
            let e = exp(-f32(i * i) / (2.0 * sigma * sigma));
            w[i + radius] = e;
            total += e;
          }
        }
        for (var axis = 0; axis < 2; axis++) {
          sync();
          if (radius > 0) {
            for (var task = lid; task < 3 * S; task += WG) {
              let lineIdx = task / 3;
              let c = task % 3;
              // Value j of the line sits at pixel (lineIdx, j) for rows, (j, lineIdx) for columns.
              let base = select(lineIdx, lineIdx * S, axis == 0);
              let jump = select(S, 1, axis == 0);
              var line : array<f32, ${S}>;
              for (var j = 0; j < S; j++) { line[j] = ld(view, 3 * (base + j * jump) + c); }
              for (var j = 0; j < S; j++) {
                var sum = 0.0;
                for (var i = -radius; i <= radius; i++) { sum += w[i + radius] * line[reflectIdx(j + i)]; }
                st(view, 3 * (base + j * jump) + c, sum / total);
              }
            }
          }
        }
        sync();
        // 5. solarize, normalise, write.
        let isSolarized = P(view, ${O.isSolarized}) != 0.0;
        let mean3 = uniforms.normMean;
        let std3 = uniforms.normStd;
        for (var i = lid; i < NVAL; i += WG) {
          var x = ld(view, i);
          if (isSolarized && x >= 0.5) { x = 1.0 - x; }
          if (uniforms.normalize != 0) { x = (x - mean3[i % 3]) / std3[i % 3]; }
          result[view * NVAL + i] = x;
        }
      }`;
}

/** A fresh program object (runWebGPUProgram mutates shaderKey) for V views of S × S. */
export function renderViewsProgram(V: number, S: number, scratch: ViewScratch): WebGPUProgram {
  return {
    variableNames: ['images', 'params', 'imageIdx'],
    outputShape: [V, S, S, 3],
    shaderKey: `hvpRenderViews_S${S}_${scratch}_wg${WG}`,
    dispatchLayout: { x: [0, 1, 2, 3] },
    dispatch: [V, 1, 1],
    workgroupSize: [WG, 1, 1],
    uniforms: 'normalize : i32, srcWidth : i32, normMean : vec3<f32>, normStd : vec3<f32>,',
    getUserCode: () => userCode(S, scratch),
  };
}

/**
 * Runs the view kernel on WebGPU. `scratch` defaults to 'shared' when the tile fits the device's
 * workgroup memory. Returns an untracked TensorInfo [V, S, S, 3] (return it from a kernelFunc or
 * wrap it with tf.engine().makeTensorFromTensorInfo).
 */
export function runRenderViews(
  backend: WebGPUBackend, images: tf.TensorInfo, params: tf.TensorInfo, imageIdx: tf.TensorInfo, attrs: RenderViewsAttrs,
  scratch?: ViewScratch,
): tf.TensorInfo {
  const { outSize: S, srcHeight: H, srcWidth: W } = attrs;
  const [V, stride] = params.shape as [number, number];
  const M = imageIdx.shape[0]!;
  const name = RENDER_VIEWS_KERNEL;
  if (images.dtype !== 'int32' || images.shape.length !== 2 || images.shape[1] !== packedWordsPerImage(H, W)) {
    throw new Error(`${name}: images must be packed int32 [n, ${packedWordsPerImage(H, W)}], got ${images.dtype} [${images.shape}]`);
  }
  if (params.dtype !== 'float32' || stride !== VIEW_PARAM_STRIDE) throw new Error(`${name}: params must be float32 [V, ${VIEW_PARAM_STRIDE}], got [${params.shape}]`);
  if (imageIdx.dtype !== 'int32' || M !== attrs.numImages || M === 0 || V % M !== 0) {
    throw new Error(`${name}: imageIdx must be int32 [${attrs.numImages}] with V = ${V} a multiple of it, got ${imageIdx.dtype} [${imageIdx.shape}]`);
  }
  if (attrs.mean?.length !== 3 || attrs.std?.length !== 3 || !attrs.std.every((x) => x > 0)) {
    throw new Error(`${name}: attrs.mean and attrs.std must be three numbers each (std > 0), got ${JSON.stringify(attrs.mean)} and ${JSON.stringify(attrs.std)}`);
  }
  const fits = sharedBytesFor(S) <= backend.device.limits.maxComputeWorkgroupStorageSize;
  const program = renderViewsProgram(V, S, scratch ?? (fits ? 'shared' : 'global'));
  return backend.runWebGPUProgram(program, [images, params, imageIdx], 'float32', [
    { type: 'int32', data: [attrs.normalize ? 1 : 0] },
    { type: 'int32', data: [W] },
    { type: 'float32', data: [...attrs.mean] },
    { type: 'float32', data: [...attrs.std] },
  ]);
}

/** kernelFunc of {@link RENDER_VIEWS_KERNEL}: inputs {images, params, imageIdx} → views. */
function renderViewsKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { images, params, imageIdx } = args.inputs;
  if (!images || !params || !imageIdx) throw new Error(`${RENDER_VIEWS_KERNEL}: inputs images, params and imageIdx are required`);
  return runRenderViews(args.backend as WebGPUBackend, images, params, imageIdx, args.attrs as unknown as RenderViewsAttrs);
}

/** Registration of {@link RENDER_VIEWS_KERNEL} for a WebGPU backend name. */
export const renderViewsConfig = (backendName: string): tf.KernelConfig => ({
  kernelName: RENDER_VIEWS_KERNEL,
  backendName,
  kernelFunc: renderViewsKernel as unknown as tf.KernelFunc,
});

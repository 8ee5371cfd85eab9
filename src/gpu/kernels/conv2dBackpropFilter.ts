/**
 * Split-K WebGPU filter gradient of a 2-D convolution (overrides tfjs's kernel 'Conv2DBackpropFilter' for a
 * WebGPU backend). x [N, H, W, Cin], dy [N, Ho, Wo, Cout] → dW [kh, kw, Cin, Cout].
 *
 * dW is a matrix product dW[m, co] = Σ_k A[k, m] · dy[k, co] with m = (fh, fw, ci) (M = kh·kw·Cin rows),
 * k = (n, oh, ow) (K = N·Ho·Wo) and A the implicit im2col of x: A[k, m] = x[n, oh·sh − padT + fh,
 * ow·sw − padL + fw, ci], 0 outside the image. tfjs's Conv2DDerFilterProgram runs one thread per filter
 * weight with a serial loop over all K terms (M·Cout threads, K-long chains). Here:
 *  1. pass 1: workgroups own a TM×TN tile of (m, co) and one K-chunk; they stage TK rows of A and dy in
 *     workgroup memory and each thread accumulates a 4×4 register block; partial sums go to
 *     partials [numChunks, M, Cout];
 *  2. pass 2 (only when numChunks > 1): one thread per filter weight sums its numChunks partials.
 * The chunk count is chosen so that tiles × chunks ≈ {@link TARGET_WORKGROUPS}.
 *
 * Handles NHWC, dilation 1, any stride and padding that computeConv2DInfo accepts; anything else (NCHW,
 * non-float32) goes to the stock kernel looked up with tf.getKernel before ours replaced it.
 * Pitfalls (shared/reference/tfjs-webgpu.md §1.3–1.9): a new program object per call, tile sizes in
 * shaderKey, the loop trip count is a uniform (workgroupBarrier needs uniform control flow; tfjs's
 * `workgroupId` is a private variable, which WGSL's uniformity analysis treats as non-uniform).
 * Must not import: core/ (except types), worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { flat } from '../flatProgram';

/** tfjs's kernel name. */
export const CONV2D_BACKPROP_FILTER = 'Conv2DBackpropFilter';

/** Rows of K staged per workgroup-memory tile. */
const TK = 16;
/** Workgroups pass 1 aims for (tiles × chunks), so that a GPU has enough of them in flight. */
const TARGET_WORKGROUPS = 256;
/** Smallest K-chunk (a multiple of TK): below it the partial-sum traffic outweighs the parallelism. */
const MIN_CHUNK = 4 * TK;

/** Attributes tfjs passes to Conv2DBackpropFilter. */
export interface Conv2DBackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** How pass 1 is laid out for one problem. */
export interface SplitKPlan {
  /** Tile rows (filter positions × Cin) and columns (Cout) per workgroup. */
  tm: number;
  tn: number;
  /** K rows per chunk (a multiple of TK) and number of chunks. */
  chunkLen: number;
  numChunks: number;
  /** Workgroups along (Cout tiles, M tiles, chunks). */
  dispatch: [number, number, number];
}

const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

/** Tile sizes and K split for M = kh·kw·Cin, Cout and K = N·Ho·Wo. */
export function planSplitK(m: number, cout: number, k: number): SplitKPlan {
  const tn = cout <= 16 ? 16 : cout <= 32 ? 32 : 64;
  const tm = m <= 32 ? 32 : 64;
  const tiles = ceilDiv(m, tm) * ceilDiv(cout, tn);
  const wantChunks = Math.max(1, ceilDiv(TARGET_WORKGROUPS, tiles));
  const chunkLen = ceilDiv(Math.max(MIN_CHUNK, ceilDiv(k, wantChunks)), TK) * TK;
  const numChunks = ceilDiv(k, chunkLen);
  return { tm, tn, chunkLen, numChunks, dispatch: [ceilDiv(cout, tn), ceilDiv(m, tm), numChunks] };
}

/** Uniform fields of pass 1, in order (all i32). */
const PASS1_UNIFORMS = [
  'inH', 'inW', 'cin', 'outH', 'outW', 'cout', 'kw', 'strideH', 'strideW', 'padT', 'padL', 'mDim', 'kDim',
  'chunkLen',
] as const;

/** Pass 1 WGSL: partial dW of one (TM × TN) tile over one K-chunk, written at result[chunk, m, co]. */
function pass1Code(tm: number, tn: number): string {
  const threads = (tm * tn) / 16;
  return `
    const TM = ${tm};
    const TN = ${tn};
    const TK = ${TK};
    const THREADS = ${threads};
    const A_STEP = ${threads / tm};       // THREADS / TM: rows between one thread's A loads
    const A_LOADS = ${(TK * tm) / threads};
    const B_STEP = ${threads / tn};
    const B_LOADS = ${(TK * tn) / threads};
    // aTile[kk][m] (m in vec4 groups), bTile[kk][co]: one TK-row slice of im2col(x) and of dy.
    var<workgroup> aTile : array<vec4<f32>, ${(TK * tm) / 4}>;
    var<workgroup> bTile : array<vec4<f32>, ${(TK * tn) / 4}>;
    // Per staged row k: (offset of image n in x, oh·sh − padT, ow·sw − padL); y = −1e6 marks k ≥ chunk end.
    var<workgroup> rowInfo : array<vec3<i32>, TK>;

    fn main() {
      let t = i32(localId.x);
      let tileN = i32(workgroupId.x) * TN;
      let tileM = i32(workgroupId.y) * TM;
      let chunk = i32(workgroupId.z);
      let kStart = chunk * uniforms.chunkLen;
      let kEnd = min(kStart + uniforms.chunkLen, uniforms.kDim);
      // The A column this thread stages, decoded once: m = (fh·kw + fw)·Cin + ci.
      let am = t % TM;
      let m = tileM + am;
      let mOk = m < uniforms.mDim;
      let ci = m % uniforms.cin;
      let fpos = m / uniforms.cin;
      let fw = fpos % uniforms.kw;
      let fh = fpos / uniforms.kw;
      // The dy column this thread stages.
      let bn = t % TN;
      let n = tileN + bn;
      let nOk = n < uniforms.cout;
      // This thread's 4×4 output block: rows ty·4.., columns tx·4.. of the tile.
      let tx = t % (TN / 4);
      let ty = t / (TN / 4);
      var acc : array<vec4<f32>, 4>;
      let numTiles = uniforms.chunkLen / TK;  // uniform trip count (barriers inside)
      for (var tile = 0; tile < numTiles; tile++) {
        let k0 = kStart + tile * TK;
        if (t < TK) {
          let k = k0 + t;
          var info = vec3<i32>(0, -1000000, 0);
          if (k < kEnd) {
            let ow = k % uniforms.outW;
            let q = k / uniforms.outW;
            let oh = q % uniforms.outH;
            let b = q / uniforms.outH;
            info = vec3<i32>(b * uniforms.inH * uniforms.inW * uniforms.cin,
                             oh * uniforms.strideH - uniforms.padT, ow * uniforms.strideW - uniforms.padL);
          }
          rowInfo[t] = info;
        }
        workgroupBarrier();
        for (var j = 0; j < A_LOADS; j++) {
          let kk = t / TM + j * A_STEP;
          let info = rowInfo[kk];
          let ih = info.y + fh;
          let iw = info.z + fw;
          var v = 0.0;
          if (mOk && ih >= 0 && ih < uniforms.inH && iw >= 0 && iw < uniforms.inW) {
            v = x[info.x + (ih * uniforms.inW + iw) * uniforms.cin + ci];
          }
          aTile[kk * (TM / 4) + am / 4][am % 4] = v;
        }
        for (var j = 0; j < B_LOADS; j++) {
          let kk = t / TN + j * B_STEP;
          let k = k0 + kk;
          var v = 0.0;
          if (nOk && k < kEnd) {
            v = dy[k * uniforms.cout + n];
          }
          bTile[kk * (TN / 4) + bn / 4][bn % 4] = v;
        }
        workgroupBarrier();
        for (var kk = 0; kk < TK; kk++) {
          let a = aTile[kk * (TM / 4) + ty];
          let b = bTile[kk * (TN / 4) + tx];
          acc[0] += a.x * b;
          acc[1] += a.y * b;
          acc[2] += a.z * b;
          acc[3] += a.w * b;
        }
        workgroupBarrier();
      }
      let base = chunk * uniforms.mDim * uniforms.cout;
      for (var i = 0; i < 4; i++) {
        let mm = tileM + ty * 4 + i;
        if (mm < uniforms.mDim) {
          for (var c = 0; c < 4; c++) {
            let nn = tileN + tx * 4 + c;
            if (nn < uniforms.cout) {
              result[base + mm * uniforms.cout + nn] = acc[i][c];
            }
          }
        }
      }
    }`;
}

/** Pass 2: dW[i] = Σ_c partials[c, i], one thread per filter weight. */
function runChunkSum(
  backend: WebGPUBackend,
  partials: tf.TensorInfo,
  filterShape: number[],
  numChunks: number,
): tf.TensorInfo {
  const layout = webgpu_util.flatDispatchLayout(filterShape);
  const workgroupSize: [number, number, number] = [64, 1, 1];
  const program: WebGPUProgram = {
    variableNames: ['partials'],
    outputShape: filterShape,
    shaderKey: 'hvp_conv2dBackpropFilterSum',
    dispatchLayout: layout,
    dispatch: webgpu_util.computeDispatch(layout, filterShape, workgroupSize),
    workgroupSize,
    size: true,
    uniforms: 'numChunks : i32,',
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          var s = 0.0;
          for (var c = 0; c < uniforms.numChunks; c++) {
            s += partials[c * uniforms.size + index];
          }
          setOutputAtIndex(index, s);
        }
      }`,
  };
  return backend.runWebGPUProgram(program, [partials], 'float32', [{ type: 'int32', data: [numChunks] }]);
}

/**
 * The split-K filter gradient on `backend` (both passes).
 * @returns a new float32 TensorInfo of shape `attrs.filterShape` (untracked: return it from a kernelFunc)
 */
export function conv2dBackpropFilterSplitK(
  backend: WebGPUBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  attrs: Conv2DBackpropFilterAttrs,
): tf.TensorInfo {
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const [kh, kw, cin, cout] = attrs.filterShape;
  const m = kh * kw * cin;
  const k = info.batchSize * info.outHeight * info.outWidth;
  const plan = planSplitK(m, cout, k);
  const direct = plan.numChunks === 1;
  const workgroupSize: [number, number, number] = [(plan.tm * plan.tn) / 16, 1, 1];
  const program: WebGPUProgram = {
    variableNames: ['x', 'dy'],
    outputShape: direct ? attrs.filterShape : [plan.numChunks, m, cout],
    shaderKey: `hvp_conv2dBackpropFilterSplitK_${plan.tm}_${plan.tn}_${TK}`,
    // Not a flat layout, so tfjs calls main() and we index by workgroupId/localId ourselves.
    dispatchLayout: { x: [0], y: [1], z: [2] },
    dispatch: plan.dispatch,
    workgroupSize,
    uniforms: PASS1_UNIFORMS.map((u) => `${u} : i32,`).join(' '),
    getUserCode: () => pass1Code(plan.tm, plan.tn),
  };
  const values = [
    info.inHeight, info.inWidth, cin, info.outHeight, info.outWidth, cout, kw, info.strideHeight,
    info.strideWidth, info.padInfo.top, info.padInfo.left, m, k, plan.chunkLen,
  ];
  const uniforms = values.map((v) => ({ type: 'int32', data: [v] }));
  const pass1 = backend.runWebGPUProgram(program, [flat(x), flat(dy)], 'float32', uniforms);
  if (direct) return pass1;
  const out = runChunkSum(backend, pass1, attrs.filterShape, plan.numChunks);
  backend.disposeData(pass1.dataId);
  return out;
}

/** Stock kernelFunc per backend name, captured before ours replaced it. */
const stockKernels = new Map<string, tf.KernelFunc>();
/** Marks our kernelFunc, so a second registration does not capture it as the "stock" one. */
const OURS = Symbol('hvpConv2dBackpropFilter');

/** The stock Conv2DBackpropFilter kernelFunc of `backendName` (undefined if none was registered). */
export function stockConv2dBackpropFilter(backendName = 'webgpu'): tf.KernelFunc | undefined {
  const current = tf.getKernel(CONV2D_BACKPROP_FILTER, backendName);
  if (current && !(OURS in current.kernelFunc)) stockKernels.set(backendName, current.kernelFunc);
  return stockKernels.get(backendName);
}

/** Whether our kernel handles these inputs/attrs (else the stock one does). */
function supported(x: tf.TensorInfo, dy: tf.TensorInfo, attrs: Conv2DBackpropFilterAttrs): boolean {
  return (
    x.dtype === 'float32' &&
    dy.dtype === 'float32' &&
    x.shape.length === 4 &&
    dy.shape.length === 4 &&
    attrs.dataFormat !== 'NCHW' &&
    attrs.filterShape.every((d) => d > 0) &&
    dy.shape.every((d) => d > 0)
  );
}

/** kernelFunc for one backend name: split-K when supported, else the captured stock kernel. */
function makeKernelFunc(backendName: string): tf.KernelFunc {
  const fn = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => {
    const { x, dy } = args.inputs;
    if (x == null || dy == null) throw new Error(`Kernel ${CONV2D_BACKPROP_FILTER}: missing input x or dy`);
    const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    if (supported(x, dy, attrs)) return conv2dBackpropFilterSplitK(args.backend as WebGPUBackend, x, dy, attrs);
    const stock = stockKernels.get(backendName);
    if (!stock) throw new Error(`Kernel ${CONV2D_BACKPROP_FILTER}: unsupported inputs and no stock kernel`);
    return stock(args as Parameters<tf.KernelFunc>[0]);
  };
  return Object.assign(fn, { [OURS]: true }) as unknown as tf.KernelFunc;
}

/**
 * Registration of our Conv2DBackpropFilter for a WebGPU backend name. Side effect: the stock kernel is
 * captured for the fallback and unregistered, so that registerGpuKernels (which skips names that already
 * have a kernel) registers ours in its place. Calling it again once ours is registered changes nothing.
 */
export const conv2dBackpropFilterConfig = (backendName: string): tf.KernelConfig => {
  const current = tf.getKernel(CONV2D_BACKPROP_FILTER, backendName);
  if (current && !(OURS in current.kernelFunc)) {
    stockKernels.set(backendName, current.kernelFunc);
    tf.unregisterKernel(CONV2D_BACKPROP_FILTER, backendName);
    return { kernelName: CONV2D_BACKPROP_FILTER, backendName, kernelFunc: makeKernelFunc(backendName) };
  }
  return current ?? { kernelName: CONV2D_BACKPROP_FILTER, backendName, kernelFunc: makeKernelFunc(backendName) };
};

/**
 * dW of a conv (NHWC, dilation 1) by the split-K kernel on the current (WebGPU) backend, whether or not
 * it is registered. Returns a new tensor tracked by the current tf.tidy scope.
 */
export function conv2dBackpropFilterWebGPU(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  attrs: Conv2DBackpropFilterAttrs,
): tf.Tensor4D {
  const backend = tf.backend() as WebGPUBackend;
  const info = conv2dBackpropFilterSplitK(backend, x, dy, attrs);
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor4D;
}

/**
 * Fused LARS update of one (adapted, i.e. not excluded) variable on WebGPU (kernel 'LarsUpdate').
 * Reference: core/train/optimizers/lars.ts (solo-learn LARS): if ‖w‖ ≠ 0 and ‖g‖ ≠ 0,
 * d = (g + wd·w)·trust with trust = η‖w‖/(‖g‖ + wd‖w‖ + eps) (clipLr: min(trust/lr, 1)), else d = g;
 * buf ← m·buf + d (d on the first step); w ← w − lr·buf. Excluded variables use 'SgdMomentumUpdate' with
 * weight decay 0, which is the same math.
 *
 * Dispatches per variable: (1) one workgroup reduces ‖w‖ and ‖g‖ into a 2-element tensor that never leaves
 * the GPU; (2) the new buffer (or, without momentum, the new weights) with the trust ratio computed per
 * thread from those norms; (3) w − lr·buf. The norm reduction is a single 256-thread workgroup with a
 * grid-stride loop: fine for CIFAR-sized layers (≤ 10⁵ elements), serial-ish for multi-million ones.
 * Must not import: core/ (except types), worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import {
  componentsFor,
  flat,
  requireInputs,
  runElementwise,
  uniformData,
  uniformDecl,
  type Uniform,
} from '../flatProgram';
import { runParamStep } from './sgdMomentumUpdate';

/** Kernel name registered for WebGPU backends. */
export const LARS_UPDATE = 'LarsUpdate';

/** Attributes of {@link LARS_UPDATE}. */
export interface LarsUpdateAttrs {
  lr: number;
  /** 0 disables the buffer (single output). */
  momentum: number;
  weightDecay: number;
  eta: number;
  eps: number;
  clipLr: boolean;
}

const NORM_THREADS = 256;

/** Runs the norm reduction: returns a new [2] TensorInfo [‖param‖, ‖grad‖] (caller frees it). */
export function runLarsNorms(backend: WebGPUBackend, param: tf.TensorInfo, grad: tf.TensorInfo): tf.TensorInfo {
  const numel = param.shape.reduce((a, b) => a * b, 1);
  const c = componentsFor(numel);
  const sq = (v: string) => (c === 4 ? `dot(${v}, ${v})` : `${v} * ${v}`);
  const uniforms: Uniform[] = [['numVec', numel / c, 'i32']];
  const program: WebGPUProgram = {
    variableNames: ['param', 'grad'],
    variableComponents: [c, c],
    outputShape: [2],
    shaderKey: `hvp_larsNorms_c${c}`,
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    workgroupSize: [NORM_THREADS, 1, 1],
    uniforms: uniformDecl(uniforms),
    getUserCode: () => `
      var<workgroup> partialW : array<f32, ${NORM_THREADS}>;
      var<workgroup> partialG : array<f32, ${NORM_THREADS}>;
      fn main(index : i32) {
        let tid = i32(localIndex);
        let n = uniforms.numVec;
        var sumW = 0.0;
        var sumG = 0.0;
        for (var k = tid; k < n; k = k + ${NORM_THREADS}) {
          let a = param[k];
          let b = grad[k];
          sumW = sumW + ${sq('a')};
          sumG = sumG + ${sq('b')};
        }
        partialW[tid] = sumW;
        partialG[tid] = sumG;
        workgroupBarrier();
        for (var s = ${NORM_THREADS / 2}; s > 0; s = s >> 1u) {
          if (tid < s) {
            partialW[tid] = partialW[tid] + partialW[tid + s];
            partialG[tid] = partialG[tid] + partialG[tid + s];
          }
          workgroupBarrier();
        }
        if (tid == 0) {
          result[0] = sqrt(partialW[0]);
          result[1] = sqrt(partialG[0]);
        }
      }`,
  };
  return backend.runWebGPUProgram(program, [flat(param), flat(grad)], 'float32', uniformData(uniforms));
}

/** WGSL of the LARS direction d (needs inputs param, grad and extra `norms`). */
const DIRECTION = `
  let pNorm = norms[0];
  let gNorm = norms[1];
  let isAdapted = pNorm > 0.0 && gNorm > 0.0;
  var trust = pNorm / (gNorm + pNorm * uniforms.weightDecay + uniforms.eps) * uniforms.eta;
  if (uniforms.clipLr != 0.0) { trust = min(trust / uniforms.lr, 1.0); }
  let scale = select(1.0, trust, isAdapted);
  let wdEff = select(0.0, uniforms.weightDecay, isAdapted);
  let d = (grad[i] + param[i] * wdEff) * scale;`;

/** kernelFunc of {@link LARS_UPDATE}: inputs {param, grad, momentumBuf?} → [param', momentumBuf'?]. */
function larsUpdateKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo[] {
  const backend = args.backend as WebGPUBackend;
  const a = args.attrs as unknown as LarsUpdateAttrs;
  const { param, grad } = requireInputs(LARS_UPDATE, args.inputs, ['param', 'grad']);
  const momentumBuf = args.inputs.momentumBuf;
  const norms = runLarsNorms(backend, param, grad);
  const uniforms: Uniform[] = [
    ['lr', a.lr],
    ['momentum', a.momentum],
    ['weightDecay', a.weightDecay],
    ['eta', a.eta],
    ['eps', a.eps],
    ['clipLr', a.clipLr ? 1 : 0],
  ];
  let out: tf.TensorInfo[];
  if (a.momentum === 0) {
    const spec = { key: 'larsDirect', inputs: ['param', 'grad'], extras: ['norms'], uniforms,
      body: `${DIRECTION} result[i] = param[i] - d * uniforms.lr;` };
    out = [runElementwise(backend, spec, [param, grad], [norms], param.shape)];
  } else {
    const hasBuf = momentumBuf != null;
    const spec = {
      key: hasBuf ? 'larsBuffer' : 'larsBufferInit',
      inputs: hasBuf ? ['param', 'grad', 'momentumBuf'] : ['param', 'grad'],
      extras: ['norms'],
      uniforms,
      body: hasBuf ? `${DIRECTION} result[i] = momentumBuf[i] * uniforms.momentum + d;` : `${DIRECTION} result[i] = d;`,
    };
    const inputs = hasBuf ? [param, grad, momentumBuf] : [param, grad];
    const buf = runElementwise(backend, spec, inputs, [norms], param.shape);
    out = [runParamStep(backend, param, buf, a.lr), buf];
  }
  backend.disposeData(norms.dataId); // released after the queued dispatches that read it are submitted
  return out;
}

/** Registration of {@link LARS_UPDATE} for a WebGPU backend name. */
export const larsUpdateConfig = (backendName: string): tf.KernelConfig => ({
  kernelName: LARS_UPDATE,
  backendName,
  kernelFunc: larsUpdateKernel as unknown as tf.KernelFunc,
});

/**
 * Runs the fused LARS update of one adapted variable. Returns new tensors [param', momentumBuf']
 * (momentum > 0) or [param'], tracked by the current tf.tidy scope. Inputs are not modified.
 */
export function larsUpdate(
  param: tf.Tensor,
  grad: tf.Tensor,
  momentumBuf: tf.Tensor | undefined,
  attrs: LarsUpdateAttrs,
): tf.Tensor[] {
  const inputs: tf.NamedTensorMap = momentumBuf ? { param, grad, momentumBuf } : { param, grad };
  const out = tf.engine().runKernel(LARS_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap);
  return Array.isArray(out) ? out : [out as tf.Tensor];
}

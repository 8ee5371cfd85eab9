/**
 * WGSL implementation of the training BatchNorm kernels 'HvpBatchNormTrain' and 'HvpBatchNormTrainGrad'
 * (contract + pure-tfjs reference: core/ops/batchNormTrain.ts). x is read as a flat [n, C] array (channel
 * last, n values per channel).
 *
 * Forward, 3 dispatches (tf.moments + tf.batchNorm take 7: Sub, Square, two Means of a transpose and a
 * reduce each, FusedBatchNorm):
 *   1. mean[c] = Σ_r x[r, c] / n                      one workgroup per channel
 *   2. varU[c] = Σ_r (x[r, c] − mean[c])² / (n − 1)  one workgroup per channel (two-pass as tf.moments;
 *                                                     UNBIASED, what the running stats keep: no extra kernel)
 *   3. y = (x − mean)·rsqrt(var + eps)·γ + β          one thread per element, var = varU·(n − 1)/n (biased)
 * Backward, 3 dispatches (the reference's closed form takes 15):
 *   1. dβ[c] = Σ_r dy[r, c]                            one workgroup per channel
 *   2. dγ[c] = Σ_r dy·x̂ = rsqrt(var + eps)·Σ_r dy·(x − mean)
 *   3. dx = γ·rstd·(dy − dβ/n − x̂·dγ/n)                one thread per element
 * A tfjs program has exactly one writable binding, so each [C] output is its own dispatch.
 *
 * Reductions: each of WG threads strides over the rows of its channel (r = t, t + WG, …) and a workgroup
 * tree reduction sums the partials, so the sums are f32 pairwise-ish like tfjs's reduce. One workgroup per
 * channel keeps the program simple; C ≥ 16 workgroups fill SwiftShader's cores, while a large GPU would
 * want several workgroups per channel for the stem (n = 65 536 at the default config) — measure there.
 * WG = 64: SwiftShader pays per invocation at barriers (bench/pairKernel/README.md), a GPU wants ≥ 64.
 * Must not import: core/ (except core/ops), worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import {
  BATCH_NORM_TRAIN_GRAD_KERNEL,
  BATCH_NORM_TRAIN_KERNEL,
  type BatchNormTrainAttrs,
} from '../../core/ops/batchNormTrain';
import { flat, requireInputs } from '../flatProgram';

/** Threads per workgroup of the per-channel reductions. */
const REDUCE_WG = 64;
/** Threads per workgroup of the element-wise programs. */
const ELEMENTWISE_WG = 64;

/** What a per-channel reduction sums over the rows r of channel c ('variance' inputs are unbiased). */
type ReduceKind = 'mean' | 'variance' | 'sum' | 'dotXhat';

/** Inputs of each reduction (in binding order) and the WGSL term summed per row; `i` = r·C + c. */
const REDUCE_SPECS: Record<ReduceKind, { inputs: string[]; term: string; finish: string }> = {
  mean: { inputs: ['x'], term: 'x[i]', finish: 'total / f32(n)' },
  variance: { inputs: ['x', 'mean'], term: '(x[i] - mu) * (x[i] - mu)', finish: 'total / f32(n - 1)' },
  sum: { inputs: ['dy'], term: 'dy[i]', finish: 'total' },
  dotXhat: { inputs: ['dy', 'x', 'mean', 'variance'], term: 'dy[i] * (x[i] - mu)', finish: 'total * inverseSqrt(variance[c] * f32(n - 1) / f32(n) + uniforms.eps)' },
};

/** One workgroup per channel: result[c] = finish(Σ_r term(r, c)), output [C]. */
function reduceProgram(kind: ReduceKind, numChannels: number): WebGPUProgram {
  const spec = REDUCE_SPECS[kind];
  const needsMean = spec.inputs.includes('mean');
  return {
    variableNames: spec.inputs,
    outputShape: [numChannels],
    shaderKey: `hvpBnReduce_${kind}_wg${REDUCE_WG}`,
    dispatchLayout: { x: [0] },
    dispatch: [numChannels, 1, 1],
    workgroupSize: [REDUCE_WG, 1, 1],
    uniforms: 'numRows : i32, eps : f32,',
    getUserCode: () => `
      const WG = ${REDUCE_WG};
      var<workgroup> red: array<f32, WG>;
      fn main(index : i32) {
        let t = i32(localIndex);
        let C = uniforms.outShape;
        let c = i32(workgroupId.x);
        let n = uniforms.numRows;
        ${needsMean ? 'let mu = mean[c];' : ''}
        var total = 0.0;
        for (var r = t; r < n; r = r + WG) {
          let i = r * C + c;
          total = total + ${spec.term};
        }
        red[t] = total;
        workgroupBarrier();
        for (var s = WG / 2; s > 0; s = s / 2) {
          if (t < s) { red[t] = red[t] + red[t + s]; }
          workgroupBarrier();
        }
        if (t == 0) {
          total = red[0];
          result[c] = ${spec.finish};
        }
      }`,
  };
}

/** One thread per element of x ([n, C] flat): y (forward) or dx (backward). */
function elementwiseProgram(kind: 'normalize' | 'dx', numel: number): WebGPUProgram {
  const layout = { x: [0] };
  const workgroupSize: [number, number, number] = [ELEMENTWISE_WG, 1, 1];
  const inputs =
    kind === 'normalize' ? ['x', 'mean', 'variance', 'scale', 'offset'] : ['dy', 'x', 'mean', 'variance', 'scale', 'sumDy', 'sumDyXhat'];
  const body =
    kind === 'normalize'
      ? 'result[index] = (x[index] - mean[c]) * rstd * scale[c] + offset[c];'
      : `let xhat = (x[index] - mean[c]) * rstd;
          let invN = 1.0 / f32(n);
          result[index] = scale[c] * rstd * (dy[index] - sumDy[c] * invN - xhat * sumDyXhat[c] * invN);`;
  return {
    variableNames: inputs,
    outputShape: [numel],
    shaderKey: `hvpBn_${kind}`,
    dispatchLayout: layout,
    dispatch: webgpu_util.computeDispatch(layout, [numel], workgroupSize),
    workgroupSize,
    size: true,
    uniforms: 'numRows : i32, eps : f32, numChannels : i32,',
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let c = index % uniforms.numChannels;
          let n = uniforms.numRows;
          let rstd = inverseSqrt(variance[c] * f32(n - 1) / f32(n) + uniforms.eps); // variance is unbiased
          ${body}
        }
      }`,
  };
}

/** Uniforms of every program here, in declaration order (numChannels only used by the element-wise ones). */
function uniformsFor(numRows: number, eps: number, numChannels?: number): Array<{ type: string; data: number[] }> {
  const u = [
    { type: 'int32', data: [numRows] },
    { type: 'float32', data: [eps] },
  ];
  return numChannels == null ? u : [...u, { type: 'int32', data: [numChannels] }];
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

/** Shape bookkeeping shared by both kernels: C, n and the flat view of x. */
function dims(x: tf.TensorInfo): { numChannels: number; numRows: number; numel: number } {
  const numChannels = x.shape[x.shape.length - 1]!;
  const numel = x.shape.reduce((a, b) => a * b, 1);
  return { numChannels, numRows: numel / numChannels, numel };
}

function batchNormTrainKernel(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WebGPUBackend;
  const { eps } = args.attrs as unknown as BatchNormTrainAttrs;
  const { x, scale, offset } = requireInputs(BATCH_NORM_TRAIN_KERNEL, args.inputs, ['x', 'scale', 'offset']);
  const { numChannels, numRows, numel } = dims(x);
  const xf = flat(x);
  const mean = backend.runWebGPUProgram(reduceProgram('mean', numChannels), [xf], 'float32', uniformsFor(numRows, eps));
  const variance = backend.runWebGPUProgram(reduceProgram('variance', numChannels), [xf, mean], 'float32', uniformsFor(numRows, eps));
  const y = backend.runWebGPUProgram(
    elementwiseProgram('normalize', numel),
    [xf, mean, variance, scale, offset],
    'float32',
    uniformsFor(numRows, eps, numChannels),
  );
  return [{ dataId: y.dataId, shape: [...x.shape], dtype: 'float32' }, mean, variance];
}

function batchNormTrainGradKernel(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as WebGPUBackend;
  const { eps } = args.attrs as unknown as BatchNormTrainAttrs;
  const inputs = requireInputs(BATCH_NORM_TRAIN_GRAD_KERNEL, args.inputs, ['dy', 'x', 'scale', 'mean', 'unbiasedVariance']);
  const { dy, x, scale, mean, unbiasedVariance: variance } = inputs;
  const { numChannels, numRows, numel } = dims(x);
  const [dyf, xf] = [flat(dy), flat(x)];
  const sumDy = backend.runWebGPUProgram(reduceProgram('sum', numChannels), [dyf], 'float32', uniformsFor(numRows, eps));
  const sumDyXhat = backend.runWebGPUProgram(
    reduceProgram('dotXhat', numChannels),
    [dyf, xf, mean, variance],
    'float32',
    uniformsFor(numRows, eps),
  );
  const dx = backend.runWebGPUProgram(
    elementwiseProgram('dx', numel),
    [dyf, xf, mean, variance, scale, sumDy, sumDyXhat],
    'float32',
    uniformsFor(numRows, eps, numChannels),
  );
  return [{ dataId: dx.dataId, shape: [...x.shape], dtype: 'float32' }, sumDyXhat, sumDy];
}

/** Registration of {@link BATCH_NORM_TRAIN_KERNEL} for a WebGPU backend name. */
export const batchNormTrainConfig = (backendName: string): tf.KernelConfig => ({
  kernelName: BATCH_NORM_TRAIN_KERNEL,
  backendName,
  kernelFunc: batchNormTrainKernel as unknown as tf.KernelFunc,
});

/** Registration of {@link BATCH_NORM_TRAIN_GRAD_KERNEL} for a WebGPU backend name. */
export const batchNormTrainGradConfig = (backendName: string): tf.KernelConfig => ({
  kernelName: BATCH_NORM_TRAIN_GRAD_KERNEL,
  backendName,
  kernelFunc: batchNormTrainGradKernel as unknown as tf.KernelFunc,
});

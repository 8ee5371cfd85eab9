// Node-side tests of gpu/ that need no GPU: kernel registration, backend checks of the fused optimizers,
// and the uniform/program helpers. The numerical parity of the kernels is tested in real Chromium WebGPU
// by e2e/kernels.spec.ts (harness/kernels.html).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { componentsFor, flat, requireInputs, uniformData, uniformDecl, type Uniform } from './flatProgram';
import { stockConv2dBackpropFilter } from './kernels/conv2dBackpropFilter';
import { createFusedOptimizer, FusedOptimizerError, registerGpuKernels } from './register';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('registerGpuKernels', () => {
  it('registers every kernel once per backend name and is idempotent', () => {
    const names = registerGpuKernels('webgpu');
    expect(names).toEqual([
      'SgdMomentumUpdate',
      'LarsUpdate',
      'AdamwUpdate',
      'HvpPairSelect',
      'HvpRenderViews',
      'Conv2DBackpropFilter',
      // set 'lean' (issue 12: fewer dispatches per step)
      'HvpBatchNormTrain',
      'HvpBatchNormTrainGrad',
      'HvpEma',
      'HvpReluGrad',
    ]);
    for (const n of names) expect(tf.getKernel(n, 'webgpu')).toBeDefined();
    const kernel = tf.getKernel('SgdMomentumUpdate', 'webgpu');
    // The split-K filter gradient replaced tfjs's stock kernel, which stays reachable as its fallback.
    const conv = tf.getKernel('Conv2DBackpropFilter', 'webgpu');
    const stock = stockConv2dBackpropFilter('webgpu');
    expect(stock).toBeDefined();
    expect(conv?.kernelFunc).not.toBe(stock);
    registerGpuKernels('webgpu');
    expect(tf.getKernel('SgdMomentumUpdate', 'webgpu')).toBe(kernel);
    expect(tf.getKernel('Conv2DBackpropFilter', 'webgpu')?.kernelFunc).toBe(conv?.kernelFunc);
    expect(stockConv2dBackpropFilter('webgpu')).toBe(stock);
    registerGpuKernels('custom-webgpu');
    expect(tf.getKernel('LarsUpdate', 'custom-webgpu')?.backendName).toBe('custom-webgpu');
    expect(tf.getKernel('LarsUpdate', 'cpu')).toBeUndefined();
    // sets are additive: 'base' alone leaves the lean kernels out (bench/dispatch/ measures before/after)
    expect(registerGpuKernels('base-only-webgpu', ['base'])).toHaveLength(6);
    expect(tf.getKernel('HvpBatchNormTrain', 'base-only-webgpu')).toBeUndefined();
    expect(registerGpuKernels('base-only-webgpu', ['lean'])).toEqual(names.slice(6));
  });
});

describe('createFusedOptimizer', () => {
  it('refuses to run on a non-WebGPU backend with a clear error', () => {
    expect(() => createFusedOptimizer('sgd', { momentum: 0.9, weightDecay: 0 })).toThrow(FusedOptimizerError);
    expect(() => createFusedOptimizer('adamw', {})).toThrow(/need the WebGPU backend, but the tfjs backend is 'cpu'/);
  });
});

describe('flat program helpers', () => {
  it('declares uniforms and packs their values in the same order and type', () => {
    const u: Uniform[] = [
      ['lr', 0.1],
      ['numVec', 7, 'i32'],
      ['eps', 1e-8],
    ];
    expect(uniformDecl(u)).toBe('lr : f32, numVec : i32, eps : f32,');
    expect(uniformData(u)).toEqual([
      { type: 'float32', data: [0.1] },
      { type: 'int32', data: [7] },
      { type: 'float32', data: [1e-8] },
    ]);
  });

  it('uses vec4 only when the length divides by 4, and flattens shapes', () => {
    expect(componentsFor(288)).toBe(4);
    expect(componentsFor(15)).toBe(1);
    const t = tf.zeros([3, 3, 4, 8]);
    expect(flat(t)).toEqual({ dataId: t.dataId, shape: [288], dtype: 'float32' });
    t.dispose();
  });

  it('names a missing kernel input', () => {
    const t = tf.zeros([2]);
    expect(requireInputs('K', { param: t }, ['param'])).toEqual({ param: t });
    expect(() => requireInputs('K', { param: t }, ['param', 'grad'])).toThrow("Kernel K: missing input 'grad'");
    t.dispose();
  });
});

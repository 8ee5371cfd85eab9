/**
 * Conformance of the fused WebGPU optimizers (src/gpu/fusedOptimizer.ts) against their plain-tfjs
 * references (src/core/train/optimizers/), both on the WebGPU backend: 3 steps on small random tensors,
 * then parameter updates (w3 − w0), state keys, state values and tensor counts are compared.
 *
 * Tolerances (relative to the reference tensor's max |value|):
 * - SGD 1e-5: identical formulas in f32; the only differences are rounding of intermediates that the
 *   reference writes to memory after every op while the fused kernel keeps them in registers (and may
 *   contract a·b + c into an FMA): a few ulp (~1e-7) per op per step.
 * - LARS 2e-5: as SGD, plus ‖w‖ and ‖g‖ are summed in a different order (256-thread tree vs tfjs's
 *   reduction), ~√n·ulp relative for n ≤ 1200, which enters the trust ratio linearly.
 * - AdamW 2e-5: as SGD, plus sqrt and a division in the step, each ≤ 2.5 ulp in WGSL; m/√v amplifies
 *   relative error only where v is tiny, which 3 steps of N(0,1) gradients do not produce.
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from '../src/core/optim/optimizer';
import { createAdamw } from '../src/core/optim/optimizers/adamw';
import { createLars } from '../src/core/optim/optimizers/lars';
import { createSgd } from '../src/core/optim/optimizers/sgd';
import { createFusedOptimizer, type FusedOptimizerKind, type FusedOptimizerOptions } from '../src/gpu/register';
import { booleanCheck, compareTensors, type KernelCheck } from './compare';

/** Parameter shapes: vec4 and scalar code paths, > 1024 elements (norm grid-stride loop), rank-1 tensors. */
const PARAM_SHAPES: Record<string, number[]> = {
  'conv1.weight': [3, 3, 4, 8],
  'odd.weight': [3, 5],
  'fc.weight': [40, 30],
  'bn.bias': [8],
  'odd.bias': [5],
};

const isBias = (name: string) => name.endsWith('.bias');

/**
 * Parameter updates are compared relative to max |Δw| ≈ lr·steps ≈ 1e-2…3e-1; w itself (|w| ≈ 1) carries
 * f32 rounding of ~6e-8·|w| per step, i.e. up to ~2e-5 of |Δw|, so the update check gets 10× the rtol.
 */
const UPDATE_RTOL_FACTOR = 10;

interface OptimizerCase<K extends FusedOptimizerKind> {
  label: string;
  kind: K;
  opts: FusedOptimizerOptions[K];
  /** Learning rate per step (3 steps). */
  lrs: [number, number, number];
  /** Parameters whose gradient is all zeros at step index 1 (LARS zero-norm path). */
  zeroGradAtStep1?: string[];
  rtol: number;
  why: string;
}

const SGD_WHY = 'f32, same formula; fused keeps intermediates in registers (rounding/FMA only)';
const LARS_WHY = 'f32; norms summed in a different order (tree vs tfjs reduce) feed the trust ratio';
const ADAMW_WHY = 'f32; sqrt/division ≤ 2.5 ulp, intermediates in registers';

type AnyCase = { [K in FusedOptimizerKind]: OptimizerCase<K> }[FusedOptimizerKind];

const CASES: AnyCase[] = [
  { label: 'sgd m=0.9 wd=5e-4 (no decay on biases)', kind: 'sgd', lrs: [0.1, 0.05, 0.02], rtol: 1e-5, why: SGD_WHY,
    opts: { momentum: 0.9, weightDecay: 5e-4, isNoDecay: isBias } },
  { label: 'sgd m=0 wd=1e-2', kind: 'sgd', lrs: [0.1, 0.05, 0.02], rtol: 1e-5, why: SGD_WHY,
    opts: { momentum: 0, weightDecay: 1e-2 } },
  { label: 'lars m=0.9 wd=1e-2 eta=0.02 (zero grad at step 2)', kind: 'lars', lrs: [0.3, 0.2, 0.1], rtol: 2e-5,
    why: LARS_WHY, opts: { momentum: 0.9, weightDecay: 1e-2, eta: 0.02 }, zeroGradAtStep1: ['odd.weight'] },
  { label: 'lars m=0 clipLr (clipped and unclipped steps)', kind: 'lars', lrs: [0.01, 0.05, 0.1], rtol: 2e-5,
    why: LARS_WHY, opts: { momentum: 0, weightDecay: 1e-3, eta: 0.02, clipLr: true } },
  { label: 'adamw defaults (no decay on biases)', kind: 'adamw', lrs: [1e-2, 5e-3, 2e-3], rtol: 2e-5, why: ADAMW_WHY,
    opts: { isNoDecay: isBias } },
  { label: 'adamw wd=0.05 b1=0.8 b2=0.99 eps=1e-6', kind: 'adamw', lrs: [1e-2, 5e-3, 2e-3], rtol: 2e-5,
    why: ADAMW_WHY, opts: { weightDecay: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-6 } },
];

function createReference(c: AnyCase): Optimizer {
  switch (c.kind) {
    case 'sgd':
      return createSgd(c.opts);
    case 'lars':
      return createLars(c.opts);
    case 'adamw':
      return createAdamw(c.opts);
  }
}

function makeParams(): Map<string, tf.Variable> {
  const params = new Map<string, tf.Variable>();
  Object.entries(PARAM_SHAPES).forEach(([name, shape], k) => {
    params.set(name, tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, 0.5, 'float32', 10 + k))));
  });
  return params;
}

function makeGrads(stepIdx: number, zeroNames: string[]): Map<string, tf.Tensor> {
  const grads = new Map<string, tf.Tensor>();
  Object.entries(PARAM_SHAPES).forEach(([name, shape], k) => {
    grads.set(
      name,
      // seed 0 would mean "unseeded" in tfjs: keep seeds ≥ 1000
      zeroNames.includes(name) ? tf.zeros(shape) : tf.randomNormal(shape, 0, 1, 'float32', 1000 * (stepIdx + 1) + k),
    );
  });
  return grads;
}

async function runCase(c: AnyCase): Promise<KernelCheck[]> {
  const refParams = makeParams();
  const gpuParams = makeParams();
  const initial = new Map([...refParams].map(([n, v]) => [n, v.clone()]));
  const ref = createReference(c);
  const fused = createFusedOptimizer(c.kind, c.opts as never);
  let leaked = 0;
  for (let s = 0; s < 3; s++) {
    const zero = s === 1 ? (c.zeroGradAtStep1 ?? []) : [];
    ref.apply(refParams, makeGrads(s, zero), c.lrs[s]);
    const grads = makeGrads(s, zero);
    const before = tf.memory().numTensors;
    fused.apply(gpuParams, grads, c.lrs[s]);
    // After the first step (state created), an update must leave the tensor count unchanged except for
    // the gradients it disposes.
    if (s > 0) leaked += tf.memory().numTensors - (before - grads.size);
  }
  const deltas = {
    ref: new Map([...refParams].map(([n, v]) => [n, v.sub(initial.get(n)!)])),
    gpu: new Map([...gpuParams].map(([n, v]) => [n, v.sub(initial.get(n)!)])),
  };
  const refState = ref.state();
  const gpuState = fused.state();
  const refKeys = [...refState.keys()].sort();
  const gpuKeys = [...gpuState.keys()].sort();
  const keysOk = refKeys.join('|') === gpuKeys.join('|');
  const expectState = c.kind === 'adamw' ? true : c.opts.momentum > 0;
  const checks: KernelCheck[] = [
    // Judged against the size of the update w₃ − w₀ (≈ lr), not of w (≈ 1): a kernel bug of relative
    // size 1e-3 in the update would hide under a tolerance scaled by |w|.
    await compareTensors(
      `${c.label}: parameter updates w3 − w0`,
      [...refParams.keys()].map((n) => [n, deltas.gpu.get(n)!, deltas.ref.get(n)!] as const),
      c.rtol * UPDATE_RTOL_FACTOR,
      `${c.why}; plus f32 rounding of |w| ≈ 1 relative to |Δw| ≈ lr`,
    ),
    booleanCheck(
      `${c.label}: same state keys`,
      keysOk && refKeys.length > 0 === expectState,
      `reference [${refKeys.join(', ')}] vs fused [${gpuKeys.join(', ')}]`,
    ),
    booleanCheck(`${c.label}: no tensors leaked per step`, leaked === 0, `tensor count change: ${leaked}`),
  ];
  if (keysOk && refKeys.length > 0) {
    checks.push(
      await compareTensors(
        `${c.label}: optimizer state after 3 steps`,
        refKeys.map((k) => [k, gpuState.get(k)!, refState.get(k)!] as const),
        c.rtol,
        c.why,
      ),
    );
  }
  ref.dispose();
  fused.dispose();
  tf.dispose([...refParams.values(), ...gpuParams.values(), ...initial.values()]);
  tf.dispose([...deltas.ref.values(), ...deltas.gpu.values()]);
  return checks;
}

/** Runs every optimizer case; returns its checks. */
export async function runOptimizerChecks(): Promise<KernelCheck[]> {
  const checks: KernelCheck[] = [];
  for (const c of CASES) checks.push(...(await runCase(c)));
  return checks;
}

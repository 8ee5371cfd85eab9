/**
 * One multi-crop HVP training step on the device, for any MultiCropMethod (DINO, iBOT;
 * methods/multiCropMethod.ts), beside hvpStep.ts for the pair methods:
 *   1. selection steps: the method scores every candidate combination of every image in one
 *      forward without a tape (comboLosses [M, C]) and picks per image the highest (hard) / lowest
 *      (easy) score, earlier combination on ties (selection.ts); other steps use a combination fixed
 *      on the CPU (random, or the identity: globals 0, 1 and locals 0…l−1);
 *   2. the chosen 2 globals and l locals of every image are gathered on the device (no GPU → CPU read);
 *   3. the method's training loss under tf.variableGrads over the parameters not frozen this step,
 *      the optimizer update with the step's weight decay, then the method's afterStep.
 * Must not import: DOM, gpu/.
 */
import * as tf from '@tensorflow/tfjs';
import type { CropCounts, MultiCropMethod } from '../methods/multiCropMethod';
import type { StepProgress } from '../methods/pairMethod';
import type { ComboTable } from './combinations';
import type { Optimizer } from './optimizer';

/** How each image's combination is chosen in this step. */
export type MultiCropPlan =
  | { kind: 'select'; mode: 'hard' | 'easy'; candidates: ComboTable }
  /** One combination per image, int32 [M·(2 + l)] row-major (random or identity). */
  | { kind: 'fixed'; chosen: Int32Array };

/** Device tensors a multi-crop step leaves for metric reads. The caller disposes them. */
export interface MultiCropStepTensors {
  /** Training loss on the chosen views. */
  loss: tf.Scalar;
  /** Per-sample score of every candidate combination [M, C], or null when no selection ran. */
  comboLosses: tf.Tensor2D | null;
  /** Index into the candidates of each image's combination, int32 [M]; null when none ran. */
  selected: tf.Tensor1D | null;
}

/**
 * The chosen views of every image, gathered on the device.
 * globals [G·M, Sg, Sg, 3], locals [L·M, Sl, Sl, 3] view-major; chosen int32 [M, 2 + l] →
 * globals [2·M, Sg, Sg, 3] (every image's first chosen global, then its second) and locals
 * [l·M, Sl, Sl, 3] (chosen local j of image m at row j·M + m).
 */
export function gatherChosenViews(globals: tf.Tensor4D, locals: tf.Tensor4D, chosen: tf.Tensor2D, counts: CropCounts): [tf.Tensor4D, tf.Tensor4D] {
  const M = chosen.shape[0];
  const l = chosen.shape[1] - 2;
  if (globals.shape[0] !== counts.numGlobals * M || locals.shape[0] !== counts.numLocals * M) {
    throw new Error(`gatherChosenViews: ${globals.shape[0]} globals and ${locals.shape[0]} locals do not fit ${counts.numGlobals} + ${counts.numLocals} views of ${M} images`);
  }
  return tf.tidy(() => {
    // Row arithmetic in float32 (exact for these small ids; tfjs-webgpu miscompiles int32 transposes), then int32.
    const c = tf.cast(chosen, 'float32');
    const image = tf.reshape(tf.range(0, M, 1, 'float32'), [1, M]); // [1, M]
    const rows = (from: number, n: number) => tf.cast(tf.reshape(tf.add(tf.mul(tf.transpose(tf.slice(c, [0, from], [M, n])), M), image), [n * M]), 'int32') as tf.Tensor1D; // [n·M]: id·M + m
    const g = tf.gather(globals, rows(0, 2)) as tf.Tensor4D; // [2·M, Sg, Sg, 3]
    const lv = l > 0 ? (tf.gather(locals, rows(2, l)) as tf.Tensor4D) : (tf.zeros([0, locals.shape[1], locals.shape[2], locals.shape[3]]) as tf.Tensor4D); // [l·M, Sl, Sl, 3]
    return [g, lv];
  });
}

/**
 * Runs selection (if planned) and one optimizer step.
 * NOTE: does not dispose `globals` / `locals`; mutates the method's parameters, buffers and the optimizer state.
 */
export function multiCropTrainStep(method: MultiCropMethod, optimizer: Optimizer, globals: tf.Tensor4D, locals: tf.Tensor4D, counts: CropCounts, plan: MultiCropPlan, lr: number, progress: StepProgress): MultiCropStepTensors {
  method.beginStep(progress.step - 1);
  let comboLosses: tf.Tensor2D | null = null;
  let selected: tf.Tensor1D | null = null;
  let chosen: tf.Tensor2D;
  if (plan.kind === 'select') {
    const { table, numCombos, numLocalsPerCombo } = plan.candidates;
    const combos = tf.tensor2d(table, [numCombos, 2 + numLocalsPerCombo], 'int32'); // [C, 2 + l]
    ({ comboLosses, selected } = method.selectCombos(globals, locals, counts, combos, plan.mode));
    chosen = tf.gather(combos, selected) as tf.Tensor2D; // [M, 2 + l]
    combos.dispose();
  } else {
    const M = globals.shape[0] / counts.numGlobals;
    chosen = tf.tensor2d(plan.chosen, [M, plan.chosen.length / M], 'int32');
  }
  const [g, l] = gatherChosenViews(globals, locals, chosen, counts);
  const { weightDecay, frozen } = method.stepOptimization(progress);
  const trained = [...method.params].filter(([name]) => !frozen.has(name));
  const { value, grads } = tf.variableGrads(() => method.trainingLoss(g, l, chosen, progress), trained.map(([, v]) => v));
  tf.dispose([g, l, chosen]);
  const byName = new Map<string, tf.Tensor>();
  for (const [name, v] of trained) {
    const grad = grads[v.name];
    if (!grad) throw new Error(`No gradient for parameter "${name}"`);
    byName.set(name, grad);
  }
  optimizer.apply(method.params, byName, lr, weightDecay);
  method.afterStep(progress);
  return { loss: value, comboLosses, selected };
}

/**
 * One HVP training step on the device (Hard View Pretraining, arXiv 2310.03940, Alg. 1), the same
 * for every method (methods/hvpMethod.ts):
 *   1. selection steps: the method scores every candidate of every image in one forward without a
 *      tape (scores [M, C]; SimSiam, SimCLR and BYOL through the pair op core/ops/pairSelect, a
 *      WGSL kernel on WebGPU) and each image keeps its highest (hard) / lowest (easy) candidate,
 *      the earlier one on ties (hvp/selection.ts); other steps use a choice fixed on the CPU
 *      (hvp/candidates.ts: random, or views 0 and 1);
 *      (the colour-static / low-resolution variants score separately rendered views, StepViews.selection);
 *   2. the chosen globals and locals of every image are gathered on the device (no GPU → CPU read);
 *   3. the method's training loss under tf.variableGrads over the parameters not frozen this step,
 *      the optimizer update with the step's weight decay, then the method's afterStep.
 * Must not import: DOM, gpu/.
 */
import * as tf from '@tensorflow/tfjs';
import type { CandidatePlan } from '../hvp/candidates';
import { gatherChosenViews } from '../hvp/selection';
import type { CropCounts, HvpMethod, StepProgress } from '../hvp/hvpMethod';
import type { Optimizer } from '../optim/optimizer';

/** The normalised views of a step, view-major: globals [G·M, Sg, Sg, 3], locals [L·M, Sl, Sl, 3]. */
export interface StepViews {
  globals: tf.Tensor4D;
  locals: tf.Tensor4D;
  counts: CropCounts;
  /**
   * Views the selection scores instead of `globals` / `locals` (same views and order, rendered
   * differently: a shared colour and / or a lower resolution, hvp/selectionViews.ts); the chosen
   * views are still gathered from `globals` / `locals`. globals [G·M, Sg', Sg', 3], locals
   * [L·M, Sl', Sl', 3]. Absent: selection scores the trained views (the paper).
   */
  selection?: { globals: tf.Tensor4D; locals: tf.Tensor4D };
}

/** Device tensors a step leaves for (throttled) metric reads. The caller disposes them. */
export interface StepTensors {
  /** Training loss on the chosen views. */
  loss: tf.Scalar;
  /** Per-sample score of every candidate [M, C] of the selection forward, or null when none ran. */
  scores: tf.Tensor2D | null;
  /** Index of each image's selected candidate, int32 [M]; null when the choice was fixed on the CPU. */
  selected: tf.Tensor1D | null;
}

/** Rows of a fixed choice: image m's chosen candidate row, int32 [M·(2 + l)]. */
function chosenRows(plan: Extract<CandidatePlan, { kind: 'fixed' }>): Int32Array {
  const { table, numLocalsPerCombo } = plan.candidates;
  const width = 2 + numLocalsPerCombo;
  const out = new Int32Array(plan.chosenIdx.length * width);
  plan.chosenIdx.forEach((c, m) => out.set(table.subarray(c * width, (c + 1) * width), m * width));
  return out;
}

/**
 * Runs selection (if planned) and one optimizer step.
 * NOTE: does not dispose the views; mutates the method's parameters, buffers and the optimizer state.
 */
export function hvpTrainStep(method: HvpMethod, optimizer: Optimizer, views: StepViews, plan: CandidatePlan, lr: number, progress: StepProgress): StepTensors {
  const { globals, locals, counts } = views;
  const M = globals.shape[0] / counts.numGlobals;
  const width = 2 + plan.candidates.numLocalsPerCombo;
  method.beginStep(progress.stepIdx); // stochastic layers are seeded by the step's index
  let scores: tf.Tensor2D | null = null;
  let selected: tf.Tensor1D | null = null;
  let chosen: tf.Tensor2D;
  if (plan.kind === 'select') {
    const candidates = tf.tensor2d(plan.candidates.table, [plan.candidates.numCombos, width], 'int32'); // [C, 2 + l]
    const scored = views.selection ?? views; // what the candidates are scored on
    ({ scores, selected } = method.scoreCandidates(scored.globals, scored.locals, counts, candidates, plan.mode));
    chosen = tf.gather(candidates, selected) as tf.Tensor2D; // [M, 2 + l]
    candidates.dispose();
  } else {
    chosen = tf.tensor2d(chosenRows(plan), [M, width], 'int32');
  }
  const [g, l] = gatherChosenViews(globals, locals, chosen, counts); // [2·M, Sg, Sg, 3], [l·M, Sl, Sl, 3]
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
  return { loss: value, scores, selected };
}

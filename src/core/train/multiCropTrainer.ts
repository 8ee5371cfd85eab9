/**
 * The trainer's multi-crop branch (DINO, iBOT; trainer.ts calls it when the method is a
 * MultiCropMethod): per step, sample the view parameters of G globals and L locals, plan the step,
 * render what the plan needs, run multiCropStep.ts, and later turn the step's reads into the
 * StepMetrics IoU fields (multiCropTelemetry.ts).
 *
 * Views sampled per image (all kept for telemetry; the view stream advances the same every step):
 *   HVP on (hard, easy, random): G = numViews globals (view size, cropScaleMin/Max) and
 *     L = (G/2)·l locals (localSize, localScaleMin/Max), l = numLocalViews — for DINO; iBOT keeps
 *     L = l (the authors' iBOT HVS selects among global pairs only, the locals are fixed);
 *   HVP off: G = 2, L = l.
 * Draw order: the G·M globals (view-major), then the L·M locals, from the run's view stream.
 * Plan of the step with 0-based index s:
 *   hard / easy with s % hvpEvery = 0 — select among candidateCombinations (≤ comboCap, drawn
 *     from the select stream when there are more); everything sampled is rendered;
 *   random — one uniformly random combination per image from the select stream (no selection
 *     forward); everything sampled is rendered;
 *   off, or a non-selection step — the identity combination (globals 0, 1, locals 0…l−1); only
 *     those 2 globals and l locals are rendered.
 * Augmentation: globals and locals share the config's colour / blur / solarize settings (DINO's
 * asymmetric gt1 / gt2 global transforms are not modelled); only the crop scale and size differ.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import type { Normalization } from '../data/normalization';
import type { ViewParams } from '../data/types';
import { augmentFromConfig, sampleBatchViewParams, type AugmentOptions } from '../data/viewParams';
import type { CropCounts, MultiCropMethod } from '../methods/multiCropMethod';
import { renderViews, type SourceImages } from '../ops/renderViewsOp';
import type { Rng } from '../random';
import { candidateCombinations, identityCombinations, randomCombinations } from './combinations';
import { multiCropTrainStep, type MultiCropPlan } from './multiCropStep';
import { multiCropTelemetry, type MultiCropTelemetry } from './multiCropTelemetry';
import type { Optimizer } from './optimizer';
import type { StepTensors } from './hvpStep';

/** What a queued multi-crop step keeps besides the pair-method fields of PendingStep. */
export interface MultiCropPending {
  /** Views rendered this step (identity steps: 2 globals and l locals). */
  rendered: CropCounts;
  /** Locals per combination (l). */
  numLocalsPerCombo: number;
  /**
   * The combination table the step's `selected` indexes, int32 [rows·(2 + l)]: the candidates on
   * a selection step; otherwise one row per image (selected[m] = m, given as PendingStep.cpuPairs).
   */
  combos: Int32Array;
  /** Parameters of all sampled locals (L·M, view-major); PendingStep.params holds the globals'. */
  localParams: ViewParams[];
}

/**
 * What an explained multi-crop step keeps for "Explain the next step" (multiCropExplain.ts); the
 * reader disposes the tensors. C = rows of MultiCropPending.combos.
 */
export interface MultiCropShownTensors {
  /** Rendered globals / locals of the first K images, 0..255, [Gr·K, Sg, Sg, 3] / [Lr·K, Sl, Sl, 3] view-major. */
  globals: tf.Tensor4D;
  locals: tf.Tensor4D;
  /** Eval-mode loss terms of the whole batch before the update, [M, Gr, Gr + Lr]. */
  terms: tf.Tensor3D;
  /** Eval-mode scores of the step's combinations before / after the update, [M, C]. */
  evalBefore: tf.Tensor2D;
  evalAfter: tf.Tensor2D;
}

/** The fields of PendingStep a multi-crop step fills (trainer.ts adds step and learningRate). */
export interface QueuedMultiCrop {
  tensors: StepTensors;
  params: ViewParams[];
  numViews: number;
  numImages: number;
  isSelectionStep: boolean;
  cpuPairs: Int32Array | null;
  multiCrop: MultiCropPending;
  /** Explained steps only (numShown > 0), else null. */
  shown: MultiCropShownTensors | null;
}

/** What the branch needs from the trainer. */
export interface MultiCropContext {
  config: RunConfig;
  method: MultiCropMethod;
  optimizer: Optimizer;
  images: SourceImages;
  /** The run's per-channel statistics (Trainer.normalization). */
  normalization: Pick<Normalization, 'mean' | 'std'>;
  viewRng: Rng;
  selectRng: Rng;
}

/** Views sampled per image every step (see the header). */
export function sampledCropCounts(config: RunConfig): CropCounts {
  if (config.hvpMode === 'off') return { numGlobals: 2, numLocals: config.numLocalViews };
  // iBOT selects among global pairs only: its locals are the l it trains on (authors' hard_view_selection).
  if (config.method === 'ibot') return { numGlobals: config.numViews, numLocals: config.numLocalViews };
  return { numGlobals: config.numViews, numLocals: (config.numViews / 2) * config.numLocalViews };
}

/** The augmentation of the local views: the config's, with the local crop scale range. */
export function localAugment(config: RunConfig): AugmentOptions {
  return augmentFromConfig({ ...config, cropScaleMin: config.localScaleMin, cropScaleMax: config.localScaleMax });
}

/** Checks the config fields the multi-crop branch relies on; throws a RangeError naming the field. */
export function checkMultiCropConfig(config: RunConfig): void {
  const l = config.numLocalViews;
  if (!Number.isInteger(l) || l < 0) throw new RangeError(`numLocalViews must be a non-negative integer, got ${l}`);
  if (config.hvpMode !== 'off' && (config.numViews < 2 || config.numViews % 2 !== 0)) throw new RangeError(`${config.method} with HVP needs an even numViews ≥ 2 (even × odd global pairs), got ${config.numViews}`);
  if (!(config.localSize >= 1 && config.localSize <= config.imageSize)) throw new RangeError(`localSize must be in [1, imageSize = ${config.imageSize}], got ${config.localSize}`);
}

/**
 * Samples, plans, renders and queues step `stepIdx` (0-based) of batch `idx`. With numShown > 0 also
 * keeps what an explained step shows (MultiCropShownTensors): eval-mode probeCombos (no state change,
 * no draws) on the step's own views and combinations just before and just after the update.
 * NOTE: advances ctx.viewRng (and ctx.selectRng on selection / random steps).
 */
export function queueMultiCropStep(ctx: MultiCropContext, idx: Int32Array, stepIdx: number, lr: number, augGlobal: AugmentOptions, augLocal: AugmentOptions, numShown = 0): QueuedMultiCrop {
  const { config, method, optimizer, images, normalization } = ctx;
  const M = idx.length;
  const l = config.numLocalViews;
  const sampled = sampledCropCounts(config);
  const globalParams = sampleBatchViewParams(ctx.viewRng, augGlobal, sampled.numGlobals, M, images.height, images.width);
  const localParams = sampled.numLocals > 0 ? sampleBatchViewParams(ctx.viewRng, augLocal, sampled.numLocals, M, images.height, images.width) : [];
  const mode = config.hvpMode;
  let plan: MultiCropPlan;
  let rendered: CropCounts = sampled;
  if ((mode === 'hard' || mode === 'easy') && stepIdx % config.hvpEvery === 0) {
    plan = { kind: 'select', mode, candidates: candidateCombinations(ctx.selectRng, sampled.numGlobals, sampled.numLocals, l, config.comboCap) };
  } else if (mode === 'random') {
    plan = { kind: 'fixed', chosen: randomCombinations(ctx.selectRng, M, sampled.numGlobals, sampled.numLocals, l) };
  } else {
    plan = { kind: 'fixed', chosen: identityCombinations(M, l) };
    rendered = { numGlobals: 2, numLocals: l };
  }
  const combos = plan.kind === 'select' ? plan.candidates.table : plan.chosen;
  const K = Math.min(numShown, M);
  const out = tf.tidy(() => {
    const idxT = tf.tensor1d(idx, 'int32');
    const globals = renderViews(images, idxT, globalParams.slice(0, rendered.numGlobals * M), config.imageSize, { normalization }); // [G·M, Sg, Sg, 3]
    const locals = rendered.numLocals > 0
      ? renderViews(images, idxT, localParams.slice(0, rendered.numLocals * M), config.localSize, { normalization }) // [L·M, Sl, Sl, 3]
      : (tf.zeros([0, config.localSize, config.localSize, 3]) as tf.Tensor4D);
    const comboT = K > 0 ? tf.tensor2d(combos, [combos.length / (2 + l), 2 + l], 'int32') : null; // [C, 2 + l]
    // Explained steps only: beginStep is idempotent per step index (multiCropTrainStep calls it again).
    if (comboT) method.beginStep(stepIdx);
    const before = comboT ? method.probeCombos(globals, locals, rendered, comboT) : null; // terms [M, Gr, Gr + Lr], comboLosses [M, C]
    const r = multiCropTrainStep(method, optimizer, globals, locals, rendered, plan, lr, { step: stepIdx + 1, totalSteps: config.totalSteps });
    const stepT = { loss: r.loss, pairLosses: r.comboLosses, selected: r.selected ?? tf.range(0, M, 1, 'int32') };
    if (!comboT || !before) return { stepT } as unknown as tf.TensorContainerObject;
    const after = method.probeCombos(globals, locals, rendered, comboT).comboLosses; // [M, C]
    const shownOf = (params: ViewParams[], n: number, size: number) => {
      const shownParams = Array.from({ length: n * K }, (_, v) => params[Math.floor(v / K) * M + (v % K)]!);
      return renderViews(images, idxT.slice(0, K), shownParams, size).mul(255).round().clipByValue(0, 255); // [n·K, size, size, 3] view-major
    };
    const shownLocals = rendered.numLocals > 0 ? shownOf(localParams, rendered.numLocals, config.localSize) : tf.zeros([0, config.localSize, config.localSize, 3]);
    const shown = { globals: shownOf(globalParams, rendered.numGlobals, config.imageSize), locals: shownLocals, terms: before.terms, evalBefore: before.comboLosses, evalAfter: after };
    return { stepT, shown } as unknown as tf.TensorContainerObject;
  }) as unknown as { stepT: StepTensors; shown?: MultiCropShownTensors };
  const isSelect = plan.kind === 'select';
  return {
    tensors: out.stepT,
    params: globalParams,
    numViews: sampled.numGlobals,
    numImages: M,
    isSelectionStep: isSelect,
    cpuPairs: isSelect ? null : Int32Array.from({ length: M }, (_, m) => m),
    multiCrop: { rendered, numLocalsPerCombo: l, combos, localParams },
    shown: out.shown ?? null,
  };
}

/**
 * The IoU fields of StepMetrics for a read multi-crop step.
 * @param selected index into mc.combos per image (read from the device, or cpuPairs)
 * @param step completed-step count of the step
 */
export function multiCropStepTelemetry(mc: MultiCropPending, globalParams: ViewParams[], numImages: number, selected: ArrayLike<number>, seed: number, step: number, srcHeight: number, srcWidth: number): MultiCropTelemetry {
  const width = 2 + mc.numLocalsPerCombo;
  const chosenGlobals = new Int32Array(2 * numImages);
  for (let m = 0; m < numImages; m++) {
    chosenGlobals[2 * m] = mc.combos[selected[m]! * width]!;
    chosenGlobals[2 * m + 1] = mc.combos[selected[m]! * width + 1]!;
  }
  const G = mc.rendered.numGlobals;
  return multiCropTelemetry(globalParams.slice(0, G * numImages), G, numImages, chosenGlobals, seed, step, srcHeight, srcWidth);
}

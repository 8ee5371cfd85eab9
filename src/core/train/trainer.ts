/**
 * The trainer: owns the dataset on the device, the model, the optimizer and the seeded streams,
 * and runs one training step at a time. Reads top to bottom: schedule → data → views → HVP step.
 * Metric reads are separate (`readStepMetrics`) so the caller throttles them.
 * Multi-crop methods (DINO, iBOT) take their own branch per step (multiCropTrainer.ts).
 * Used in-process by the worker, the CLI and the tests; implements no I/O itself.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import { CIFAR10_NORMALIZATION, cleanNormalization, type Normalization } from '../data/normalization';
import type { Dataset, ViewParams } from '../data/types';
import { augmentFromConfig, sampleBatchViewParams, type AugmentOptions } from '../data/viewParams';
import { createMethod } from '../methods/createMethod';
import { isMultiCropMethod, type MultiCropMethod } from '../methods/multiCropMethod';
import type { PairMethod } from '../methods/pairMethod';
import { renderViews, uploadSourceImages, type SourceImages } from '../ops/renderViewsOp';
import { createRng, deriveSeed, rngFromState, type Rng } from '../random';
import { createBatchSampler, type BatchSampler } from './batchSampler';
import { checkStateShapes, fromHost, toHost, type HostTensor } from './hostTensor';
import { hvpTrainStep, type PairPlan, type StepTensors } from './hvpStep';
import type { StepMetrics } from './metrics';
import { checkMultiCropConfig, localAugment, multiCropStepTelemetry, queueMultiCropStep, type MultiCropPending } from './multiCropTrainer';
import type { Optimizer } from './optimizer';
import { createReferenceOptimizer, optimizerSpecFor, type OptimizerSpec } from './optimizerSpec';
import { computePairStats } from './pairStats';
import { cosineWithWarmup } from './schedules';
import { randomPairs } from './selection';
import { randomPairIou, summarizeIou } from './telemetry';
import type { TrainerSnapshot } from './trainerState';

/** A step whose device work is queued; its tensors are read (or released) later. */
export interface PendingStep {
  step: number;
  tensors: StepTensors;
  /** View parameters of all sampled views (N·M, view-major). */
  params: ViewParams[];
  numViews: number;
  numImages: number;
  isSelectionStep: boolean;
  /** Pair indices chosen on the CPU (random or fixed pairs), or null when the GPU selected them. */
  cpuPairs: Int32Array | null;
  learningRate: number;
  /**
   * Multi-crop methods (DINO, iBOT) only: the step's locals and combination table. Then `params`
   * and `numViews` are the sampled GLOBAL views, `tensors.pairLosses` the candidate combinations'
   * scores [M, C] and `tensors.selected` / `cpuPairs` index `multiCrop.combos` (multiCropTrainer.ts).
   */
  multiCrop?: MultiCropPending;
}

/** An explained step whose device work is queued (Trainer.trainStepExplained); read by explainStep.ts and multiCropExplain.ts. */
export interface ExplainedPending {
  pending: PendingStep;
  /** What the explanation shows; null for a plain trainStep. The reader disposes the tensors. */
  shown: {
    /** Dataset indices of the shown images (the batch's first K). */
    imageIdx: Int32Array;
    /** Views rendered this step: numViews on selection/random steps, 2 otherwise. */
    numRendered: number;
    /** Rendered views of the shown images, 0..255, [V·K, S, S, 3] view-major. */
    views: tf.Tensor4D;
    /** Eval-mode per-sample pair losses of the whole batch before / after the update, [M, P]. */
    evalBefore: tf.Tensor2D;
    evalAfter: tf.Tensor2D;
    /**
     * Multi-crop methods (DINO, iBOT) only (multiCropExplain.ts): then `views` are the shown images'
     * rendered GLOBALS, numRendered their count, and evalBefore / evalAfter the eval-mode scores of
     * the step's combinations (PendingStep.multiCrop.combos), [M, C].
     */
    multiCrop?: {
      /** Rendered locals of the shown images, 0..255, [Lr·K, Sl, Sl, 3] view-major. */
      locals: tf.Tensor4D;
      /** Eval-mode loss terms of the whole batch before the update, [M, Gr, Gr + Lr]. */
      terms: tf.Tensor3D;
    };
  } | null;
}

/** Device-resident dataset images (packed uint8 where the backend has the view kernel, else float32 0..255). */
export interface DeviceImages {
  train: SourceImages;
  test: SourceImages;
}

/** The in-process trainer. */
export interface Trainer {
  readonly config: RunConfig;
  readonly dataset: Dataset;
  /** The SSL method: its model, losses and state (a pair method, or a multi-crop one: DINO, iBOT). */
  readonly model: PairMethod | MultiCropMethod;
  readonly images: DeviceImages;
  /**
   * Per-channel statistics every normalised view of this run uses (training views, kNN and probe
   * inputs, exports): the dataset's for a new run, the snapshot's for a resumed one (CIFAR-10's
   * when the snapshot has none, so old checkpoints continue bit-identically).
   */
  readonly normalization: Normalization;
  /** Steps completed so far. */
  readonly step: number;
  /** Queues one training step on the device. */
  trainStep(): PendingStep;
  /**
   * Queues the next training step exactly as trainStep (same batch, views, selection, update, streams)
   * and also keeps what "Explain the next step" shows (explainStep.ts): the first `numShown` images'
   * rendered views and the eval-mode pair losses of all views before and after the update.
   */
  trainStepExplained(numShown: number): ExplainedPending;
  /** sync point: awaits the step's scalar reads. NOTE: disposes the step's tensors. */
  readStepMetrics(p: PendingStep, elapsedMs: number, stepsSinceLog: number): Promise<StepMetrics>;
  /** Disposes a step's tensors without reading them. */
  releaseStep(p: PendingStep): void;
  /**
   * Everything needed to continue this run exactly: weights, BN buffers, optimizer state, step, data
   * order and generator states. Call between steps (not while a step's metrics are being read).
   */
  snapshot(): Promise<TrainerSnapshot>;
  dispose(): void;
}

/** Assigns saved weights and buffers to `model` after checking every name and shape. */
function restoreModel(model: PairMethod | MultiCropMethod, saved: ReadonlyMap<string, HostTensor>): void {
  const vars = new Map([...model.params, ...model.buffers]);
  checkStateShapes('model', new Map([...vars].map(([k, v]) => [k, v.shape])), saved);
  for (const [k, v] of vars) tf.tidy(() => v.assign(fromHost(saved.get(k)!)));
}

/** Injected implementations, e.g. the fused WebGPU optimizer (gpu/ builds these for the worker). */
export interface TrainerOptions {
  /** Builds the optimizer of a spec; default: the reference optimizers in plain tfjs ops. */
  makeOptimizer?: (spec: OptimizerSpec) => Optimizer;
  /** Continue from this snapshot (same config) instead of step 0. Validated before use. */
  resumeFrom?: TrainerSnapshot;
}

/** Reads every variable of `vars` to the host. */
async function hostMap(vars: ReadonlyMap<string, tf.Variable>): Promise<Map<string, HostTensor>> {
  const entries = await Promise.all([...vars].map(async ([k, v]) => [k, await toHost(v)] as const));
  return new Map(entries);
}

/**
 * Builds the trainer: model from `seed`, data order and view streams derived from it; or, with
 * `options.resumeFrom`, the exact state of a snapshot. Throws StateMismatchError (nothing is kept) when
 * the snapshot does not fit the config.
 */
export function createTrainer(config: RunConfig, dataset: Dataset, options: TrainerOptions = {}): Trainer {
  const resume = options.resumeFrom;
  if (config.method === 'dino' || config.method === 'ibot') checkMultiCropConfig(config);
  const model = createMethod(config, deriveSeed(config.seed, 'init'));
  const spec = optimizerSpecFor(config, (name) => model.isNoDecay(name));
  const optimizer: Optimizer = (options.makeOptimizer ?? createReferenceOptimizer)(spec);
  if (resume) {
    try {
      restoreModel(model, resume.model);
      optimizer.loadState(resume.optimizer, model.params);
    } catch (e) {
      model.dispose();
      optimizer.dispose();
      throw e;
    }
  }
  const images: DeviceImages = {
    train: uploadSourceImages(dataset.train.images, dataset.train.numImages, dataset.train.height, dataset.train.width),
    test: uploadSourceImages(dataset.test.images, dataset.test.numImages, dataset.test.height, dataset.test.width),
  };
  const sampler: BatchSampler = createBatchSampler(dataset.train.numImages, config.batchSize, resume ? resume.progress.sampler : deriveSeed(config.seed, 'data'));
  const viewRng: Rng = resume ? rngFromState(resume.progress.viewRng) : createRng(deriveSeed(config.seed, 'views'));
  const selectRng: Rng = resume ? rngFromState(resume.progress.selectRng) : createRng(deriveSeed(config.seed, 'select'));
  const aug: AugmentOptions = augmentFromConfig(config);
  const augLocal: AugmentOptions | null = isMultiCropMethod(model) ? localAugment(config) : null;
  const numViews = config.hvpMode === 'off' ? 2 : config.numViews;
  let step = resume ? resume.progress.step : 0;
  const normalization = cleanNormalization(resume ? resume.normalization ?? CIFAR10_NORMALIZATION : dataset.normalization);

  /** Which pairs this step uses; 'select' needs the extra forward of all views. */
  function planStep(s: number, M: number): { plan: PairPlan; renderViews: number } {
    const mode = config.hvpMode;
    if ((mode === 'hard' || mode === 'easy') && s % config.hvpEvery === 0) return { plan: { kind: 'select', mode }, renderViews: numViews };
    if (mode === 'random') return { plan: { kind: 'fixed', pairIdx: randomPairs(selectRng, M, numViews) }, renderViews: numViews };
    // mode off, or a non-selection step of hvpEvery > 1: views 0 and 1 are already a random pair.
    return { plan: { kind: 'fixed', pairIdx: new Int32Array(M) }, renderViews: 2 };
  }

  /** trainStep's work; with numShown > 0 also what an explained step shows (trainStepExplained). */
  function queueStep(numShown: number): ExplainedPending {
    const lr = cosineWithWarmup(step, config.learningRate, config.totalSteps, config.warmupSteps);
    const idx = sampler.nextBatch();
    const M = idx.length;
    if (isMultiCropMethod(model)) {
      const { shown: mc, ...q } = queueMultiCropStep({ config, method: model, optimizer, images: images.train, normalization, viewRng, selectRng }, idx, step, lr, aug, augLocal!, numShown);
      const pending: PendingStep = { step, learningRate: lr, ...q };
      step += 1;
      if (!mc) return { pending, shown: null };
      const shown = { imageIdx: idx.slice(0, Math.min(numShown, M)), numRendered: q.multiCrop.rendered.numGlobals, views: mc.globals, evalBefore: mc.evalBefore, evalAfter: mc.evalAfter };
      return { pending, shown: { ...shown, multiCrop: { locals: mc.locals, terms: mc.terms } } };
    }
    const method = model;
    const params = sampleBatchViewParams(viewRng, aug, numViews, M, dataset.train.height, dataset.train.width);
    const { plan, renderViews: numRendered } = planStep(step, M);
    const K = Math.min(numShown, M);
    const out = tf.tidy(() => {
      const idxT = tf.tensor1d(idx, 'int32');
      const views = renderViews(images.train, idxT, params.slice(0, numRendered * M), config.imageSize, { normalization }); // [V, S, S, 3]
      // Explained steps only: eval-mode pair losses (no state change, no draws) around the update.
      const evalBefore = K > 0 ? method.probePairLosses(views, numRendered) : null; // [M, P]
      const stepT = hvpTrainStep(method, optimizer, views, numRendered, plan, lr, { step: step + 1, totalSteps: config.totalSteps });
      if (K === 0) return { stepT } as unknown as tf.TensorContainerObject;
      const evalAfter = method.probePairLosses(views, numRendered); // [M, P]
      const shownParams = Array.from({ length: numRendered * K }, (_, v) => params[Math.floor(v / K) * M + (v % K)]!);
      const shownViews = renderViews(images.train, idxT.slice(0, K), shownParams, config.imageSize).mul(255).round().clipByValue(0, 255); // [V·K, S, S, 3] view-major
      return { stepT, evalBefore, evalAfter, shownViews } as unknown as tf.TensorContainerObject;
    }) as unknown as { stepT: StepTensors; evalBefore?: tf.Tensor2D; evalAfter?: tf.Tensor2D; shownViews?: tf.Tensor4D };
    const tensors = out.stepT;
    const pending: PendingStep = {
      step,
      tensors,
      params,
      numViews,
      numImages: M,
      isSelectionStep: plan.kind === 'select',
      cpuPairs: plan.kind === 'fixed' ? plan.pairIdx : null,
      learningRate: lr,
    };
    step += 1;
    if (K === 0) return { pending, shown: null };
    return { pending, shown: { imageIdx: idx.slice(0, K), numRendered, views: out.shownViews!, evalBefore: out.evalBefore!, evalAfter: out.evalAfter! } };
  }

  return {
    config,
    dataset,
    model,
    images,
    normalization,
    get step() {
      return step;
    },
    trainStep() {
      return queueStep(0).pending;
    },
    trainStepExplained(numShown) {
      return queueStep(Math.max(1, numShown));
    },
    async readStepMetrics(p, elapsedMs, stepsSinceLog) {
      const { loss, pairLosses, selected } = p.tensors;
      // Both from the selection forward: the mean over all candidates and the chosen one's, per image.
      const passLosses = pairLosses ? tf.tidy(() => tf.stack([
        pairLosses.mean(),
        // [M, P] masked by selected [M] (oneHot refuses a single candidate) → chosen [M] → mean
        pairLosses.mul(tf.equal(tf.range(0, pairLosses.shape[1], 1, 'int32').expandDims(0), selected.expandDims(1)).cast('float32')).sum(1).mean(),
      ])) : null;
      const [lossV, selV, passV] = await Promise.all([
        loss.data(),
        p.cpuPairs ? Promise.resolve(p.cpuPairs) : selected.data(),
        passLosses ? passLosses.data() : Promise.resolve(null),
      ]);
      passLosses?.dispose();
      this.releaseStep(p);
      const H = dataset.train.height;
      const W = dataset.train.width;
      const telemetry = p.multiCrop
        ? multiCropStepTelemetry(p.multiCrop, p.params, p.numImages, selV, config.seed, p.step + 1, H, W)
        : {
          ...summarizeIou(p.params, p.numViews, p.numImages, selV),
          randomPairIou: randomPairIou(p.params, p.numViews, p.numImages, config.seed, p.step + 1),
          pairStats: computePairStats(p.params, p.numViews, p.numImages, selV, H, W),
        };
      const msPerStep = elapsedMs / Math.max(1, stepsSinceLog);
      return {
        step: p.step + 1, // steps completed after this one, as the run state counts
        loss: lossV[0]!,
        meanPairLoss: passV ? passV[0]! : null,
        selectedPairLoss: passV ? passV[1]! : null,
        ...telemetry,
        isSelectionStep: p.isSelectionStep,
        learningRate: p.learningRate,
        imagesPerSec: msPerStep > 0 ? (1000 * p.numImages) / msPerStep : 0,
        msPerStep,
      };
    },
    releaseStep(p) {
      p.tensors.loss.dispose();
      p.tensors.pairLosses?.dispose();
      p.tensors.selected.dispose();
    },
    async snapshot() {
      // Generator and sampler states first: they are host values of the steps already queued.
      const progress = { step, sampler: sampler.getState(), viewRng: viewRng.getState(), selectRng: selectRng.getState() };
      const [params, buffers, optState] = await Promise.all([hostMap(model.params), hostMap(model.buffers), hostMap(optimizer.state())]);
      return { progress, model: new Map([...params, ...buffers]), optimizer: optState, normalization };
    },
    dispose() {
      model.dispose();
      optimizer.dispose();
      images.train.tensor.dispose();
      images.test.tensor.dispose();
    },
  };
}

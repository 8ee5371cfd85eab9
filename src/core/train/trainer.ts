/**
 * The trainer: owns the dataset on the device, the model, the optimizer and the seeded streams,
 * and runs one training step at a time. Reads top to bottom: schedule → data → views → HVP step.
 * Metric reads are separate (`readStepMetrics`) so the caller throttles them.
 * Used in-process by the worker, the CLI and the tests; implements no I/O itself.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import { CIFAR10_NORMALIZATION, cleanNormalization, type Normalization } from '../data/normalization';
import type { Dataset, ViewParams } from '../data/types';
import { augmentFromConfig, sampleBatchViewParams, type AugmentOptions } from '../data/viewParams';
import { planCandidates } from '../hvp/candidates';
import type { ComboTable } from '../hvp/combinations';
import { checkMultiCropConfig, localAugment, sampledCropCounts } from '../hvp/stepViews';
import { iouPolicyBound, sampleIouPolicyPairs } from '../hvp/iouPolicy';
import { selectionSize, sharedColors, withSharedColor } from '../hvp/selectionViews';
import { createMethod } from '../methods/createMethod';
import type { CropCounts, HvpMethod } from '../hvp/hvpMethod';
import { renderViews, uploadSourceImages, type SourceImages } from '../ops/renderViewsOp';
import { createRng, deriveSeed, rngFromState, type Rng } from '../random';
import { createBatchSampler, type BatchSampler } from './batchSampler';
import { checkStateShapes, fromHost, toHost, type HostTensor } from '../state/hostTensor';
import { hvpTrainStep, type StepTensors } from './hvpStep';
import type { StepReading } from './metrics';
import type { Optimizer } from '../optim/optimizer';
import { createReferenceOptimizer, optimizerSpecFor, type OptimizerSpec } from '../optim/optimizerSpec';
import { cosineWithWarmup } from '../optim/schedules';
import { stepTelemetry } from '../hvp/stepTelemetry';
import { viewLogStep, type ViewLogStep } from '../hvp/viewLog';
import type { TrainerSnapshot } from '../state/trainerState';

/** A step whose device work is queued; its tensors are read (or released) later. */
export interface PendingStep {
  /** 0-based index of the step (steps completed before it). */
  step: number;
  tensors: StepTensors;
  /** Dataset indices of the batch's images [M]. */
  imageIdx: Int32Array;
  /** View parameters of all sampled globals (G·M, view-major). */
  params: ViewParams[];
  /** View parameters of all sampled locals (L·M, view-major); empty for the pair methods. */
  localParams: ViewParams[];
  /** Views sampled per image (all kept for telemetry) and those rendered (the candidates index these). */
  sampled: CropCounts;
  rendered: CropCounts;
  numImages: number;
  isSelectionStep: boolean;
  /** The candidates `tensors.selected` / `cpuChosen` index (hvp/candidates.ts). */
  candidates: ComboTable;
  /** Whether `candidates` holds one row per image (row m is image m's) rather than one table for all. */
  isPerImage: boolean;
  /** Per-image candidate index fixed on the CPU (random, or views 0 and 1), or null when the device selected. */
  cpuChosen: Int32Array | null;
  learningRate: number;
  /** colorStatic selection steps only: the parameters the selection's globals / locals were rendered
   * with (each view's crop, flip and blur with the shared colour; hvp/selectionViews.ts). */
  selectionParams?: { globals: ViewParams[]; locals: ViewParams[] };
  /** Side of the globals the selection scored when it scored its own views (colorStatic / selectScale); absent = imageSize. */
  selectionSize?: number;
  /** hvpMode iouPolicy only: images whose pair missed the step's IoU bound (hvp/iouPolicy.ts). */
  iouPolicyMisses?: number;
  /** hvpMode iouPolicy: the step's IoU bound. */
  iouPolicyBound?: number;
}

/** An explained step whose device work is queued (Trainer.trainStepExplained); read by explainStep.ts. */
export interface ExplainedPending {
  pending: PendingStep;
  /** What the explanation shows; null for a plain trainStep. The reader disposes the tensors. */
  shown: {
    /** Dataset indices of the shown images (the batch's first K). */
    imageIdx: Int32Array;
    /** Rendered globals / locals of the shown images, 0..255, [Gr·K, Sg, Sg, 3] / [Lr·K, Sl, Sl, 3] view-major. */
    globals: tf.Tensor4D;
    locals: tf.Tensor4D;
    /** Eval-mode scores of the step's candidates for the whole batch before / after the update, [M, C]. */
    evalBefore: tf.Tensor2D;
    evalAfter: tf.Tensor2D;
    /** DINO / iBOT: eval-mode loss terms of the whole batch before the update, [M, Gr, Gr + Lr]; else null. */
    terms: tf.Tensor3D | null;
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
  /** The SSL method: its model, losses and state. */
  readonly model: HvpMethod;
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
   * rendered views and the eval-mode scores of the step's candidates before and after the update.
   */
  trainStepExplained(numShown: number): ExplainedPending;
  /**
   * The step's metrics without timing (the run loop adds it); with `withViewLog` on a selection step
   * also its view log (every candidate's score, hvp/viewLog.ts). sync point: awaits the step's reads.
   * NOTE: disposes the step's tensors.
   */
  readStepMetrics(p: PendingStep, options?: { withViewLog?: boolean }): Promise<StepReading & { viewLog?: ViewLogStep }>;
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
function restoreModel(model: HvpMethod, saved: ReadonlyMap<string, HostTensor>): void {
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
  const augLocal: AugmentOptions = localAugment(config);
  const sampled = sampledCropCounts(config, model.kind);
  let step = resume ? resume.progress.step : 0;
  const normalization = cleanNormalization(resume ? resume.normalization ?? CIFAR10_NORMALIZATION : dataset.normalization);

  /**
   * trainStep's work; with numShown > 0 also what an explained step shows (trainStepExplained):
   * eval-mode scores of the step's own candidates (no state change, no draws) just before and just
   * after the update, and the first K images' rendered views.
   */
  function queueStep(numShown: number): ExplainedPending {
    const lr = cosineWithWarmup(step, config.learningRate, config.totalSteps, config.warmupSteps);
    const idx = sampler.nextBatch();
    const M = idx.length;
    const { height: H, width: W } = dataset.train;
    // Draw order: the G·M globals (view-major; iouPolicy: image by image, hvp/iouPolicy.ts), then the L·M locals, from the view stream.
    const bound = config.hvpMode === 'iouPolicy' ? iouPolicyBound(config, step) : null;
    const policy = bound !== null ? sampleIouPolicyPairs(viewRng, aug, M, bound, H, W) : null;
    const params = policy ? policy.params : sampleBatchViewParams(viewRng, aug, sampled.numGlobals, M, H, W);
    const localParams = sampled.numLocals > 0 ? sampleBatchViewParams(viewRng, augLocal, sampled.numLocals, M, H, W) : [];
    const { plan, rendered } = planCandidates(config, model.kind, step, M, sampled, selectRng);
    const { candidates } = plan;
    const K = Math.min(numShown, M);
    const S = config.imageSize;
    const Sl = config.localSize;
    // Selection-step variants (hvp/selectionViews.ts): the candidates are scored on views with one
    // shared colour (stateless stream of the step) and / or at a lower resolution.
    const isSelect = plan.kind === 'select';
    const colors = isSelect && config.colorStatic !== 'off' ? sharedColors(config.colorStatic, config.seed, step, aug, M, H, W) : null;
    const selectionParams = colors ? {
      globals: withSharedColor(params.slice(0, rendered.numGlobals * M), colors),
      locals: withSharedColor(localParams.slice(0, rendered.numLocals * M), colors),
    } : undefined;
    const hasSelectionViews = isSelect && (colors !== null || config.selectScale !== 1);
    const Ss = hasSelectionViews ? selectionSize(S, config.selectScale) : S;
    const Sls = hasSelectionViews ? selectionSize(Sl, config.selectScale) : Sl;
    const out = tf.tidy(() => {
      const idxT = tf.tensor1d(idx, 'int32');
      const globals = renderViews(images.train, idxT, params.slice(0, rendered.numGlobals * M), S, { normalization }); // [G·M, S, S, 3]
      const locals = rendered.numLocals > 0
        ? renderViews(images.train, idxT, localParams.slice(0, rendered.numLocals * M), Sl, { normalization }) // [L·M, Sl, Sl, 3]
        : (tf.zeros([0, Sl, Sl, 3]) as tf.Tensor4D);
      const selection = hasSelectionViews ? {
        globals: renderViews(images.train, idxT, selectionParams?.globals ?? params.slice(0, rendered.numGlobals * M), Ss, { normalization }), // [G·M, Ss, Ss, 3]
        locals: rendered.numLocals > 0
          ? renderViews(images.train, idxT, selectionParams?.locals ?? localParams.slice(0, rendered.numLocals * M), Sls, { normalization }) // [L·M, Sls, Sls, 3]
          : (tf.zeros([0, Sls, Sls, 3]) as tf.Tensor4D),
      } : undefined;
      const candT = K > 0 ? tf.tensor2d(candidates.table, [candidates.numCombos, 2 + candidates.numLocalsPerCombo], 'int32') : null; // [C, 2 + l]
      // Explained steps only: beginStep starts the step over (hvpTrainStep calls it again).
      if (candT) model.beginStep(step);
      // On the trained views; with colorStatic / selectScale the selection itself scored `selection` instead.
      const before = candT ? model.probeCandidates(globals, locals, rendered, candT) : null; // scores [M, C], terms [M, Gr, Gr + Lr] | null
      const stepT = hvpTrainStep(model, optimizer, { globals, locals, counts: rendered, ...(selection ? { selection } : {}) }, plan, lr, { stepIdx: step, totalSteps: config.totalSteps });
      if (!candT || !before) return { stepT } as unknown as tf.TensorContainerObject;
      const after = model.probeCandidates(globals, locals, rendered, candT).scores; // [M, C]
      const shownOf = (all: ViewParams[], n: number, size: number) => {
        const shownParams = Array.from({ length: n * K }, (_, v) => all[Math.floor(v / K) * M + (v % K)]!);
        return renderViews(images.train, idxT.slice(0, K), shownParams, size).mul(255).round().clipByValue(0, 255); // [n·K, size, size, 3] view-major
      };
      const shown = {
        imageIdx: idx.slice(0, K),
        globals: shownOf(params, rendered.numGlobals, S),
        locals: rendered.numLocals > 0 ? shownOf(localParams, rendered.numLocals, Sl) : tf.zeros([0, Sl, Sl, 3]),
        evalBefore: before.scores,
        evalAfter: after,
        terms: before.terms,
      };
      return { stepT, shown } as unknown as tf.TensorContainerObject;
    }) as unknown as { stepT: StepTensors; shown?: NonNullable<ExplainedPending['shown']> };
    const pending: PendingStep = {
      step,
      tensors: out.stepT,
      imageIdx: idx,
      params,
      localParams,
      sampled,
      rendered,
      numImages: M,
      isSelectionStep: plan.kind === 'select',
      candidates,
      isPerImage: plan.kind === 'fixed' && plan.isPerImage,
      cpuChosen: plan.kind === 'fixed' ? plan.chosenIdx : null,
      learningRate: lr,
      ...(selectionParams ? { selectionParams } : {}),
      ...(hasSelectionViews ? { selectionSize: Ss } : {}),
      ...(policy && bound !== null ? { iouPolicyMisses: policy.misses, iouPolicyBound: bound } : {}),
    };
    step += 1;
    return { pending, shown: out.shown ?? null };
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
    async readStepMetrics(p, options = {}) {
      const { loss, scores, selected } = p.tensors;
      const isLogged = Boolean(options.withViewLog && scores && selected);
      // Both from the selection forward: the mean over all candidates and the chosen one's, per image.
      const passLosses = scores && selected ? tf.tidy(() => tf.stack([
        scores.mean(),
        // [M, C] masked by selected [M] (oneHot refuses a single candidate) → chosen [M] → mean
        scores.mul(tf.equal(tf.range(0, scores.shape[1], 1, 'int32').expandDims(0), selected.expandDims(1)).cast('float32')).sum(1).mean(),
      ])) : null;
      const [lossV, selV, passV, scoresV] = await Promise.all([
        loss.data(),
        p.cpuChosen ? Promise.resolve(p.cpuChosen) : selected!.data(),
        passLosses ? passLosses.data() : Promise.resolve(null),
        isLogged ? scores!.data() : Promise.resolve(null),
      ]);
      passLosses?.dispose();
      this.releaseStep(p);
      const telemetry = stepTelemetry(model.kind, p, selV, config.seed, dataset.train.height, dataset.train.width);
      return {
        step: p.step + 1, // steps completed after this one, as the run state counts
        loss: lossV[0]!,
        meanPairLoss: passV ? passV[0]! : null,
        selectedPairLoss: passV ? passV[1]! : null,
        ...(passV ? { scoreTerms: model.scoreTerms } : {}),
        ...telemetry,
        isSelectionStep: p.isSelectionStep,
        learningRate: p.learningRate,
        ...(scoresV ? { viewLog: viewLogStep(p, scoresV as Float32Array, Int32Array.from(selV), dataset.train.height, dataset.train.width, config.imageSize) } : {}),
      };
    },
    releaseStep(p) {
      tf.dispose([p.tensors.loss, ...(p.tensors.scores ? [p.tensors.scores] : []), ...(p.tensors.selected ? [p.tensors.selected] : [])]);
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

/**
 * iBOT as an HvpMethod of the multi-crop kind (methods/hvpMethod.ts): the model of models/ibotModel.ts, the masks
 * of methods/ibotMasks.ts and the losses of methods/ibot.ts, with the HVP selection of the authors'
 * ibot branch (main_ibot.py hard_view_selection + iBOTLoss.hvs; reference §1.6).
 *   masks     — every rendered global view g of image m gets the block mask of (seed, step, g), so
 *               the selection forward and the training forward of a step use the same masks;
 *               trainingLoss gathers the chosen globals' masks on the device by `chosen`;
 *   selection — teacher on the G globals, student on the masked G globals and the L locals (no tape,
 *               drop_path active as the authors' train-mode student); per image and combination the
 *               score λ1·mean(CLS terms) + λ2·mean(patch terms); the centers are NOT updated;
 *               teacher temperatures of the current step;
 *   training  — teacher on the 2 chosen globals, student on them (masked) and the l chosen locals,
 *               iBOTLoss.forward (= the mean over images of the chosen combination's score);
 *   afterStep — both centers from the training forward's teacher outputs, then the EMA teacher with
 *               τ_k = 1 − (1 − emaMomentum)·(cos(πk/K) + 1)/2 (k = 0-based index of the step just taken);
 *   schedule  — teacher temperatures warm up linearly from teacherTempWarmup over
 *               teacherTempWarmupSteps to teacherTemp (CLS) and teacherPatchTemp (patches; iBOT warms
 *               both from 0.04 over the same epochs), weight decay cosine weightDecay → weightDecayEnd,
 *               both last layers frozen for the first freezeLastLayerEpochs epochs.
 * Which combinations: iBOT-HVS in the authors' code compares global pairs only (its local subsets
 * reduce to one, §1.6); this method scores whatever table it is given with the same formula, so a
 * table whose rows all carry the same locals selects among global pairs exactly as the authors.
 * embed() is the teacher backbone's CLS in eval mode.
 * Deviation: iBOT clips gradients (clip_grad 3.0); this playground does not (no method here does).
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import { createIbotModel } from '../models/ibotModel';
import { cosineMomentum, dinoWeightDecay, frozenLastLayerSteps, teacherTemperature } from '../optim/schedules';
import { selectCandidates } from '../hvp/selection';
import { dinoStudentLogProbs, dinoTeacherProbs, dinoTerms, updateCenter } from './dino';
import { ibotComboLosses, ibotComboWeights, ibotLossFromTerms, ibotPatchTerms, ibotTerms, updatePatchCenter } from './ibot';
import { ibotMasks } from './ibotMasks';
import type { CropCounts, HvpMethod } from '../hvp/hvpMethod';

/** What one forward of all views gives: the term table and the raw teacher outputs (for the centers). */
interface Forward {
  /** [M, G, G + L] */
  terms: tf.Tensor3D;
  teacherCls: tf.Tensor2D;
  teacherPatches: tf.Tensor3D;
}

/** iBOT with student weights from `seed` (teacher = copy, centers = 0); masks are seeded by `seed` too. */
export function createIbotMethod(config: RunConfig, seed: number): HvpMethod {
  if (config.backbone !== 'vit') throw new RangeError(`iBOT needs the vit backbone (masked patch tokens), got "${config.backbone}"`);
  const baseMomentum = config.emaMomentum;
  if (!(baseMomentum >= 0 && baseMomentum <= 1)) throw new RangeError(`iBOT teacher EMA momentum must be in [0, 1], got ${baseMomentum}`);
  if (!(config.centerMomentum >= 0 && config.centerMomentum <= 1)) throw new RangeError(`iBOT center momentum must be in [0, 1], got ${config.centerMomentum}`);
  if (!(config.patchLossWeight >= 0)) throw new RangeError(`iBOT patch loss weight must be ≥ 0, got ${config.patchLossWeight}`);
  const model = createIbotModel(config, seed);
  const grid = config.imageSize / config.vitPatchSize;
  const frozenSteps = frozenLastLayerSteps(config.freezeLastLayerEpochs, config.numTrainImages, config.batchSize);
  const frozenSet: ReadonlySet<string> = new Set(model.lastLayerNames);
  const noneFrozen: ReadonlySet<string> = new Set();
  /** Rendered global views of any step: G = numViews on selection steps, 2 otherwise. */
  const maxGlobals = Math.max(2, config.numViews);
  let stepIdx = 0;
  let batchTeacher: { cls: tf.Tensor2D; patches: tf.Tensor3D } | null = null;
  const clsTemp = () => teacherTemperature(stepIdx, config.teacherTempWarmup, config.teacherTemp, config.teacherTempWarmupSteps);
  const patchTemp = () => teacherTemperature(stepIdx, config.teacherTempWarmup, config.teacherPatchTemp, config.teacherTempWarmupSteps);

  /** Masks of rendered globals 0 … numGlobals−1 of this step: [G·M, T] view-major. */
  const stepMasks = (numGlobals: number, numImages: number): tf.Tensor2D =>
    tf.tensor2d(ibotMasks({ seed, stepIdx, grid, ratio: config.maskRatio }, Array.from({ length: numGlobals }, (_, g) => g), numImages), [numGlobals * numImages, grid * grid]);

  /** Teacher and student on all views; globals [G·M, …] with masks [G·M, T], locals [L·M, …]. */
  function forwardAll(globals: tf.Tensor4D, locals: tf.Tensor4D, numGlobals: number, numLocals: number, masks: tf.Tensor2D, isTraining: boolean): Forward {
    const t = model.teacher(globals); // cls [G·M, K], patches [G·M, T, Kp]
    const s = model.student(globals, masks, numLocals > 0 ? locals : null, isTraining);
    const studentCls = s.localCls ? (tf.concat([s.globalCls, s.localCls]) as tf.Tensor2D) : s.globalCls; // [(G + L)·M, K]
    const cls = dinoTerms(dinoTeacherProbs(t.cls, model.center, clsTemp()), dinoStudentLogProbs(studentCls, config.studentTemp), numGlobals, numGlobals + numLocals); // [M, G, V]
    const patch = ibotPatchTerms(t.patches, s.globalPatches, masks, model.center2, patchTemp(), config.studentTemp, numGlobals); // [M, G]
    return { terms: ibotTerms(cls, patch), teacherCls: t.cls, teacherPatches: t.patches };
  }

  const checkCounts = (globals: tf.Tensor4D, locals: tf.Tensor4D, counts: CropCounts): number => {
    const M = globals.shape[0] / counts.numGlobals;
    if (!Number.isInteger(M) || locals.shape[0] !== counts.numLocals * M) {
      throw new Error(`iBOT: ${globals.shape[0]} globals and ${locals.shape[0]} locals do not fit ${counts.numGlobals} globals and ${counts.numLocals} locals per image`);
    }
    if (counts.numGlobals > maxGlobals) throw new Error(`iBOT: ${counts.numGlobals} global views per image, but masks are drawn for at most ${maxGlobals} (numViews)`);
    return M;
  };

  return {
    kind: 'multiCrop',
    name: 'ibot',
    scoreTerms: 1, // CLS mean + patch mean: already on the loss's scale
    params: model.params,
    buffers: model.buffers,
    featureDim: model.featureDim,
    embed: (x) => model.embed(x),
    isNoDecay: (name) => model.isNoDecay(name),
    beginStep(s) {
      model.beginStep(s);
      stepIdx = s;
    },
    stepOptimization({ stepIdx, totalSteps }) {
      return {
        weightDecay: dinoWeightDecay(stepIdx, config.weightDecay, config.weightDecayEnd, totalSteps),
        frozen: stepIdx < frozenSteps ? frozenSet : noneFrozen,
      };
    },
    scoreCandidates(globals, locals, counts, combos, mode) {
      const M = checkCounts(globals, locals, counts);
      return tf.tidy(() => {
        const { terms } = forwardAll(globals, locals, counts.numGlobals, counts.numLocals, stepMasks(counts.numGlobals, M), true); // [M, G, V]
        const comboLosses = ibotComboLosses(terms, ibotComboWeights(combos, counts.numGlobals, counts.numLocals, config.patchLossWeight)); // [M, C]
        return { scores: comboLosses, selected: selectCandidates(comboLosses, mode) };
      });
    },
    probeCandidates(globals, locals, counts, combos) {
      const M = checkCounts(globals, locals, counts);
      return tf.tidy(() => {
        const { terms } = forwardAll(globals, locals, counts.numGlobals, counts.numLocals, stepMasks(counts.numGlobals, M), false); // [M, G, V]
        return { terms, scores: ibotComboLosses(terms, ibotComboWeights(combos, counts.numGlobals, counts.numLocals, config.patchLossWeight)) };
      });
    },
    trainingLoss(globals, locals, chosen, _progress) {
      const M = globals.shape[0] / 2;
      const numLocals = chosen.shape[1] - 2;
      if (!Number.isInteger(M) || chosen.shape[0] !== M || locals.shape[0] !== numLocals * M) {
        throw new Error(`iBOT trainingLoss: globals [${globals.shape}], locals [${locals.shape}] and chosen [${chosen.shape}] do not fit 2 globals and ${numLocals} locals per image`);
      }
      // The chosen globals' masks, gathered on the device: row j·M + m = mask of rendered view chosen[m, j].
      const all = stepMasks(maxGlobals, M); // [Gmax·M, T]
      // Column by column, not by transposing the int32 ids (tfjs-webgpu's int32 transpose does not compile).
      const ids = tf.cast(chosen, 'int32'); // [M, 2 + l]
      const image = tf.range(0, M, 1, 'int32'); // [M]
      const rowsOf = (j: number) => tf.add(tf.mul(tf.reshape(tf.slice(ids, [0, j], [M, 1]), [M]), tf.scalar(M, 'int32')), image); // [M]: id·M + m
      const masks = tf.gather(all, tf.concat([rowsOf(0), rowsOf(1)])) as tf.Tensor2D; // [2·M, T]
      const f = forwardAll(globals, locals, 2, numLocals, masks, true); // terms [M, 2, 2 + l]
      if (batchTeacher) tf.dispose([batchTeacher.cls, batchTeacher.patches]);
      batchTeacher = { cls: tf.keep(f.teacherCls), patches: tf.keep(f.teacherPatches) };
      return ibotLossFromTerms(f.terms, config.patchLossWeight);
    },
    afterStep({ stepIdx, totalSteps }) {
      if (batchTeacher) {
        updateCenter(model.center, batchTeacher.cls, config.centerMomentum);
        updatePatchCenter(model.center2, batchTeacher.patches, config.centerMomentum);
        tf.dispose([batchTeacher.cls, batchTeacher.patches]);
        batchTeacher = null;
      }
      model.updateTeacher(cosineMomentum(stepIdx, baseMomentum, totalSteps));
    },
    dispose() {
      if (batchTeacher) tf.dispose([batchTeacher.cls, batchTeacher.patches]);
      model.dispose();
    },
  };
}

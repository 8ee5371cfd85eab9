/**
 * DINO as an HvpMethod of the multi-crop kind (methods/hvpMethod.ts): the model of models/dinoModel.ts and the
 * losses of methods/dino.ts, with the HVP selection of the authors' dino branch (pretrain.py `hvs`).
 *   selection — the G globals through the teacher and the G globals + L locals through the student
 *               (BN in training mode, running stats updated, as the authors' no_grad forwards);
 *               per image and candidate combination the SUM of its CE terms; the center is NOT
 *               updated; teacher temperature of the current step;
 *   training  — teacher on the 2 chosen globals, student on them and the l chosen locals, DINO's
 *               mean loss (DINOLoss.forward);
 *   afterStep — BN running stats, center update from the training forward's teacher outputs, EMA
 *               teacher with τ_k = 1 − (1 − emaMomentum)·(cos(πk/K) + 1)/2 (DINO's momentum_schedule,
 *               k = 0-based index of the step just taken, K = totalSteps);
 *   schedule  — teacher temperature warm-up (schedules.teacherTemperature), weight decay cosine
 *               weightDecay → weightDecayEnd (schedules.dinoWeightDecay), head last layer frozen for
 *               the first freezeLastLayerEpochs epochs (DINO's cancel_gradients_last_layer).
 * embed() is the teacher backbone in eval mode (what DINO evaluates).
 * Deviation: DINO clips gradients (clip_grad 3.0); this playground does not (no method here does).
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import { keepStats } from '../models/bnRegistry';
import { createDinoModel } from '../models/dinoModel';
import type { BnStat } from '../models/layers';
import { cosineMomentum, dinoWeightDecay, frozenLastLayerSteps, teacherTemperature } from '../optim/schedules';
import { selectCandidates } from '../hvp/selection';
import { comboWeights, dinoComboLosses, dinoScoreTerms, dinoLoss, dinoStudentLogProbs, dinoTeacherProbs, dinoTerms, updateCenter } from './dino';
import type { CropCounts, HvpMethod } from '../hvp/hvpMethod';

/** DINO with student weights from `seed` (teacher = copy, center = 0). */
export function createDinoMethod(config: RunConfig, seed: number): HvpMethod {
  const baseMomentum = config.emaMomentum;
  if (!(baseMomentum >= 0 && baseMomentum <= 1)) throw new RangeError(`DINO teacher EMA momentum must be in [0, 1], got ${baseMomentum}`);
  if (!(config.centerMomentum >= 0 && config.centerMomentum <= 1)) throw new RangeError(`DINO center momentum must be in [0, 1], got ${config.centerMomentum}`);
  const model = createDinoModel(config, seed);
  const frozenSteps = frozenLastLayerSteps(config.freezeLastLayerEpochs, config.numTrainImages, config.batchSize);
  const frozenSet: ReadonlySet<string> = new Set(model.lastLayerNames);
  const noneFrozen: ReadonlySet<string> = new Set();
  let stepIdx = 0;
  let trainStats: BnStat[] = [];
  let batchTeacher: tf.Tensor2D | null = null; // raw teacher outputs of the training forward [2·M, K]
  const teacherTempNow = () => teacherTemperature(stepIdx, config.teacherTempWarmup, config.teacherTemp, config.teacherTempWarmupSteps);

  /** Terms [M, G, G + L] of a forward of all views (training mode pushes BN stats onto `stats`). */
  function allTerms(globals: tf.Tensor4D, locals: tf.Tensor4D, counts: CropCounts, isTraining: boolean, stats: BnStat[]): tf.Tensor3D {
    const t = model.teacher(globals, isTraining); // [G·M, K]
    const sg = model.student(globals, isTraining); // [G·M, K]
    const sl = counts.numLocals > 0 ? model.student(locals, isTraining) : null; // [L·M, K]
    stats.push(...t.bnStats, ...sg.bnStats, ...(sl ? sl.bnStats : []));
    const s = sl ? tf.concat([sg.out, sl.out]) : sg.out; // [(G + L)·M, K]
    return dinoTerms(dinoTeacherProbs(t.out, model.center, teacherTempNow()), dinoStudentLogProbs(s as tf.Tensor2D, config.studentTemp), counts.numGlobals, counts.numGlobals + counts.numLocals);
  }

  return {
    kind: 'multiCrop',
    name: 'dino',
    scoreTerms: dinoScoreTerms(config.numLocalViews),
    params: model.params,
    buffers: model.buffers,
    featureDim: model.featureDim,
    embed: (x) => model.embed(x),
    isNoDecay: (name) => model.isNoDecay(name),
    beginStep(s) {
      stepIdx = s;
      model.beginStep(s);
    },
    stepOptimization({ stepIdx, totalSteps }) {
      return {
        weightDecay: dinoWeightDecay(stepIdx, config.weightDecay, config.weightDecayEnd, totalSteps),
        frozen: stepIdx < frozenSteps ? frozenSet : noneFrozen,
      };
    },
    scoreCandidates(globals, locals, counts, combos, mode) {
      let stats: BnStat[] = [];
      const result = tf.tidy(() => {
        const st: BnStat[] = [];
        const terms = allTerms(globals, locals, counts, true, st); // [M, G, G + L]
        stats = keepStats(st);
        const comboLosses = dinoComboLosses(terms, comboWeights(combos, counts.numGlobals, counts.numLocals)); // [M, C]
        return { scores: comboLosses, selected: selectCandidates(comboLosses, mode) };
      });
      model.updateRunningStats(stats);
      return result;
    },
    probeCandidates(globals, locals, counts, combos) {
      return tf.tidy(() => {
        const terms = allTerms(globals, locals, counts, false, []); // [M, G, G + L]
        return { terms, scores: dinoComboLosses(terms, comboWeights(combos, counts.numGlobals, counts.numLocals)) };
      });
    },
    trainingLoss(globals, locals, _chosen, _progress) {
      const t = model.teacher(globals, true); // [2·M, K]
      const sg = model.student(globals, true); // [2·M, K]
      const sl = locals.shape[0] > 0 ? model.student(locals, true) : null; // [l·M, K]
      trainStats = keepStats([...t.bnStats, ...sg.bnStats, ...(sl ? sl.bnStats : [])]);
      batchTeacher?.dispose();
      batchTeacher = tf.keep(t.out);
      const s = sl ? (tf.concat([sg.out, sl.out]) as tf.Tensor2D) : sg.out; // [(2 + l)·M, K]
      return dinoLoss(t.out, s, model.center, teacherTempNow(), config.studentTemp);
    },
    afterStep({ stepIdx, totalSteps }) {
      model.updateRunningStats(trainStats);
      trainStats = [];
      if (batchTeacher) {
        updateCenter(model.center, batchTeacher, config.centerMomentum);
        batchTeacher.dispose();
        batchTeacher = null;
      }
      model.updateTeacher(cosineMomentum(stepIdx, baseMomentum, totalSteps));
    },
    dispose() {
      batchTeacher?.dispose();
      model.dispose();
    },
  };
}

/**
 * BYOL as an HvpMethod of the pair kind (beyond the HVP paper, which covers SimSiam, SimCLR, DINO and iBOT): the
 * model of models/byolModel.ts and the losses of methods/byol.ts.
 *   selection — all N·M views through the online network and the target network (both with BN in
 *               training mode, running stats updated, as the authors' selection forwards), then
 *               the pair op (core/ops/pairSelect, the WGSL kernel on WebGPU) scores −cos of
 *               predictions vs target projections; L = 2 − 2·cos is an increasing affine map of
 *               that score, so the op's selection is BYOL's, and its losses are mapped to BYOL's scale;
 *   training  — each view through the online and the target network separately (solo-learn, as
 *               SimSiam's authors), loss ½·(L(p1, z2') + L(p2, z1')), targets under stop-gradient;
 *   afterStep — BN running stats, then the EMA target update with the cosine momentum
 *               τ_k = 1 − (1 − emaMomentum)·(cos(πk/K) + 1)/2, k = the 0-based index of the step just
 *               taken (solo-learn: update with the current τ, then advance it), K = totalSteps.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import { createByolModel } from '../models/byolModel';
import { keepStats } from '../models/bnRegistry';
import type { BnStat } from '../models/layers';
import { pairSelect } from '../ops/pairSelect';
import { cosineMomentum } from '../optim/schedules';
import { byolFromNegCosine, byolPairLosses, byolTrainingLoss } from './byol';
import type { HvpMethod } from '../hvp/hvpMethod';
import { checkPairCandidates, modelFields, pairFields, pairHalves, viewMajor } from './methodParts';

/** BYOL with online weights from `seed` (target = copy), base EMA momentum config.emaMomentum. */
export function createByolMethod(config: RunConfig, seed: number): HvpMethod {
  const baseMomentum = config.emaMomentum;
  if (!(baseMomentum >= 0 && baseMomentum <= 1)) throw new RangeError(`BYOL EMA momentum must be in [0, 1], got ${baseMomentum}`);
  const model = createByolModel(config, seed);
  let trainStats: BnStat[] = [];

  return {
    name: 'byol',
    ...pairFields,
    ...modelFields(model),
    scoreCandidates(views, _locals, counts, candidates, mode) {
      checkPairCandidates(counts, candidates);
      const numViews = counts.numGlobals;
      let stats: BnStat[] = [];
      const result = tf.tidy(() => {
        const on = model.online(views, true); // p: [N·M, D]
        const tg = model.target(views, true); // z': [N·M, D]
        stats = keepStats([...on.bnStats, ...tg.bnStats]);
        const numImages = views.shape[0] / numViews;
        const sel = pairSelect(on.p, tg.z, { numViews, numImages, score: 'negCosine', mode }); // −cos scale
        return { scores: byolFromNegCosine(sel.pairLosses), selected: sel.selected }; // [M, P] on 2 − 2·cos, int32 [M]
      });
      model.updateRunningStats(stats);
      return result;
    },
    probeCandidates(views, _locals, counts, candidates) {
      checkPairCandidates(counts, candidates);
      const N = counts.numGlobals;
      return { scores: tf.tidy(() => byolPairLosses(viewMajor(model.online(views, false).p, N), viewMajor(model.target(views, false).z, N))), terms: null }; // [M, P]
    },
    trainingLoss(globals) {
      const [x1, x2] = pairHalves(globals); // [M, S, S, 3] each
      const o1 = model.online(x1, true);
      const o2 = model.online(x2, true);
      const t1 = model.target(x1, true);
      const t2 = model.target(x2, true);
      trainStats = keepStats([...o1.bnStats, ...o2.bnStats, ...t1.bnStats, ...t2.bnStats]);
      return byolTrainingLoss(o1.p, t1.z, o2.p, t2.z); // stop-gradient on the targets inside
    },
    afterStep({ stepIdx, totalSteps }) {
      model.updateRunningStats(trainStats);
      trainStats = [];
      model.updateTarget(cosineMomentum(stepIdx, baseMomentum, totalSteps));
    },
    dispose: () => model.dispose(),
  };
}

/**
 * SimSiam as an HvpMethod (pair kind; methods/hvpMethod.ts): the model of models/simsiamModel.ts and the losses of methods/simsiam.ts.
 * Selection scores pairs with the pair op (core/ops/pairSelect: the WGSL kernel on WebGPU) on the
 * predictions p and projections z of all views; training forwards the two views separately, as the
 * authors' encoder(x1), encoder(x2).
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import { keepStats } from '../models/bnRegistry';
import { createSimSiamModel, type BnStat } from '../models/simsiamModel';
import { pairSelect } from '../ops/pairSelect';
import type { HvpMethod } from '../hvp/hvpMethod';
import { checkPairCandidates, modelFields, pairFields, pairHalves, viewMajor } from './methodParts';
import { simsiamPairLosses, simsiamTrainingLoss } from './simsiam';

/** SimSiam with weights from `seed`. */
export function createSimSiamMethod(config: RunConfig, seed: number): HvpMethod {
  const model = createSimSiamModel(config, seed);
  let trainStats: BnStat[] = [];
  return {
    name: 'simsiam',
    ...pairFields,
    ...modelFields(model),
    scoreCandidates(views, _locals, counts, candidates, mode) {
      checkPairCandidates(counts, candidates);
      const numViews = counts.numGlobals;
      let stats: BnStat[] = [];
      const result = tf.tidy(() => {
        const out = model.forward(views, true);
        stats = keepStats(out.bnStats);
        // out.p, out.z: [N·M, D], view-major → losses [M, P], selected int32 [M]
        const numImages = views.shape[0] / numViews;
        const sel = pairSelect(out.p, out.z, { numViews, numImages, score: 'negCosine', mode });
        return { scores: sel.pairLosses, selected: sel.selected };
      });
      model.updateRunningStats(stats);
      return result;
    },
    probeCandidates(views, _locals, counts, candidates) {
      checkPairCandidates(counts, candidates);
      const scores = tf.tidy(() => {
        const out = model.forward(views, false);
        return simsiamPairLosses(viewMajor(out.p, counts.numGlobals), viewMajor(out.z, counts.numGlobals)); // [M, P]
      });
      return { scores, terms: null };
    },
    trainingLoss(globals) {
      const [x1, x2] = pairHalves(globals); // [M, S, S, 3] each
      const o1 = model.forward(x1, true);
      const o2 = model.forward(x2, true);
      trainStats = keepStats([...o1.bnStats, ...o2.bnStats]);
      return simsiamTrainingLoss(o1.p, o1.z, o2.p, o2.z);
    },
    afterStep() {
      model.updateRunningStats(trainStats);
      trainStats = [];
    },
    dispose: () => model.dispose(),
  };
}

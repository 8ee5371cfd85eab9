/**
 * SimSiam as a PairMethod: the model of models/simsiamModel.ts and the losses of methods/simsiam.ts.
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
import { modelFields, viewMajor, type PairMethod } from './pairMethod';
import { simsiamPairLosses, simsiamTrainingLoss } from './simsiam';

/** SimSiam with weights from `seed`. */
export function createSimSiamMethod(config: RunConfig, seed: number): PairMethod {
  const model = createSimSiamModel(config, seed);
  let trainStats: BnStat[] = [];
  return {
    name: 'simsiam',
    ...modelFields(model),
    selectPairs(views, numViews, mode) {
      let stats: BnStat[] = [];
      const result = tf.tidy(() => {
        const out = model.forward(views, true);
        stats = keepStats(out.bnStats);
        // out.p, out.z: [N·M, D], view-major → losses [M, P], selected int32 [M]
        const numImages = views.shape[0] / numViews;
        const sel = pairSelect(out.p, out.z, { numViews, numImages, score: 'negCosine', mode });
        return { pairLosses: sel.pairLosses, selected: sel.selected };
      });
      model.updateRunningStats(stats);
      return result;
    },
    probePairLosses(views, numViews) {
      return tf.tidy(() => {
        const out = model.forward(views, false);
        return simsiamPairLosses(viewMajor(out.p, numViews), viewMajor(out.z, numViews)); // [M, P]
      });
    },
    trainingLoss(x1, x2) {
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

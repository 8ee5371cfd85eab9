/**
 * SimCLR as an HvpMethod of the pair kind: the model of models/simclrModel.ts and the NT-Xent of methods/simclr.ts,
 * as the HVP authors' simclr branch (automl/hvp hvs/__init__.py adversarial_crop_selection and
 * pretrain.py):
 *   selection — all N·M views in one forward (BN in training mode over all of them, running stats
 *               updated, as the authors' model(torch.cat(images)) under no_grad), then the NT-Xent
 *               of every view pair with negatives from that pair's 2M views → [M, P], keep the
 *               highest (hard) / lowest (easy), ties to the earlier pair;
 *   training  — the two chosen views concatenated in one forward (authors:
 *               model(torch.cat(images)).chunk(2)), loss = mean NT-Xent over the 2M rows.
 * Selection runs the pair op (core/ops/pairSelect, score 'ntXentLogits': the WGSL kernel on WebGPU):
 * the logits of all N·M views come from one tfjs matmul, G = normalize(Z)·normalize(Z)ᵀ / T, and the
 * op reduces every pair's NT-Xent rows (negatives from that pair's 2M views) and selects.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import { keepStats } from '../models/bnRegistry';
import type { BnStat } from '../models/layers';
import { createSimClrModel } from '../models/simclrModel';
import { pairSelect } from '../ops/pairSelect';
import type { HvpMethod } from '../hvp/hvpMethod';
import { checkPairCandidates, modelFields, pairFields } from './methodParts';
import { ntXentLogits, ntXentLoss } from './simclr';

/** SimCLR with weights from `seed`; NT-Xent temperature config.temperature. */
export function createSimClrMethod(config: RunConfig, seed: number): HvpMethod {
  const temperature = config.temperature;
  if (!(temperature > 0)) throw new RangeError(`SimCLR temperature must be positive, got ${temperature}`);
  const model = createSimClrModel(config, seed);
  let trainStats: BnStat[] = [];

  return {
    name: 'simclr',
    ...pairFields,
    ...modelFields(model),
    scoreCandidates(views, _locals, counts, candidates, mode) {
      checkPairCandidates(counts, candidates);
      const numViews = counts.numGlobals;
      let stats: BnStat[] = [];
      const result = tf.tidy(() => {
        const out = model.forward(views, true);
        stats = keepStats(out.bnStats);
        const numImages = out.z.shape[0] / numViews;
        const g = ntXentLogits(out.z, temperature); // [N·M, N·M], view-major
        const { pairLosses, selected } = pairSelect(g, g, { numViews, numImages, score: 'ntXentLogits', mode });
        return { scores: pairLosses, selected }; // [M, P], int32 [M]
      });
      model.updateRunningStats(stats);
      return result;
    },
    probeCandidates(views, _locals, counts, candidates) {
      checkPairCandidates(counts, candidates);
      const numViews = counts.numGlobals;
      // Eval-mode BN; the negatives are the other probe images (with one probe image there are none and every loss is 0).
      const scores = tf.tidy(() => {
        const z = model.forward(views, false).z; // [N·M, D]
        const g = ntXentLogits(z, temperature); // [N·M, N·M]
        return pairSelect(g, g, { numViews, numImages: z.shape[0] / numViews, score: 'ntXentLogits', mode: 'hard' }).pairLosses; // [M, P]
      });
      return { scores, terms: null };
    },
    trainingLoss(globals) {
      const M = globals.shape[0] / 2;
      const out = model.forward(globals, true); // both chosen views of every image, z: [2M, D]
      trainStats = keepStats(out.bnStats);
      const z1 = tf.slice(out.z, [0, 0], [M, -1]); // [M, D]
      const z2 = tf.slice(out.z, [M, 0], [M, -1]); // [M, D]
      return ntXentLoss(z1, z2, temperature);
    },
    afterStep() {
      model.updateRunningStats(trainStats);
      trainStats = [];
    },
    dispose: () => model.dispose(),
  };
}

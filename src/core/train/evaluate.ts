/**
 * Evaluation of a trainer's current model: weighted kNN on the held-out split and the probe
 * snapshot the gallery shows. Neither touches the training state: BatchNorm runs in eval mode,
 * and the probe draws its views from its own seeded stream.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { pairIous } from '../data/iou';
import { augmentFromConfig, sampleBatchViewParams } from '../data/viewParams';
import { embedImages } from '../eval/embed';
import { knnAccuracy } from '../eval/knn';
import { isMultiCropMethod } from '../methods/multiCropMethod';
import { renderViews } from '../ops/renderViewsOp';
import { normalizeViews } from '../ops/renderViewsTf';
import type { Rng } from '../random';
import type { KnnMetrics, ProbeImage, ProbeSnapshot } from './metrics';
import { captureMultiCropProbe } from './multiCropProbe';
import { numPairs, pairList } from './pairs';
import { randomPairs, selectPairs } from './selection';
import type { Trainer } from './trainer';

/** Weighted kNN top-1 on the held-out split. sync point: awaits the accuracy. */
export async function evaluateKnn(trainer: Trainer): Promise<KnnMetrics> {
  const { config, dataset, model, images } = trainer;
  const trainLabels = dataset.train.labels;
  const testLabels = dataset.test.labels;
  if (!trainLabels || !testLabels) throw new Error('kNN needs a labelled dataset');
  const numBank = Math.min(config.numKnnBankImages, dataset.train.numImages);
  const numQueries = dataset.test.numImages;
  const bank = embedImages(model, images.train, numBank, config.imageSize, trainer.normalization);
  const queries = embedImages(model, images.test, numQueries, config.imageSize, trainer.normalization);
  const bankLabels = tf.tensor1d(trainLabels.subarray(0, numBank), 'int32');
  const queryLabels = tf.tensor1d(testLabels.subarray(0, numQueries), 'int32');
  try {
    const top1 = await knnAccuracy(bank, bankLabels, queries, queryLabels, { k: config.knnK, temperature: config.knnTemperature, numClasses: dataset.numClasses });
    return { step: trainer.step, top1, numBank, numQueries };
  } finally {
    tf.dispose([bank, queries, bankLabels, queryLabels]);
  }
}

/** Renders N views of the first `numProbeImages` held-out images, scores every pair with the
 * current model (eval-mode BN) and picks the pair the run's HVP mode would pick.
 * sync point: awaits the views and losses. */
export async function captureProbe(trainer: Trainer, probeRng: Rng): Promise<ProbeSnapshot> {
  if (isMultiCropMethod(trainer.model)) return captureMultiCropProbe(trainer, trainer.model, probeRng); // DINO / iBOT: globals, locals, combinations
  const { config, dataset, images } = trainer;
  const model = trainer.model;
  const N = config.hvpMode === 'off' ? 2 : config.numViews;
  const M = Math.min(config.numProbeImages, dataset.test.numImages);
  const S = config.imageSize;
  const src = dataset.test;
  const params = sampleBatchViewParams(probeRng, augmentFromConfig(config), N, M, src.height, src.width);
  const cpuPairs = config.hvpMode === 'random' ? randomPairs(probeRng, M, N) : config.hvpMode === 'off' ? new Int32Array(M) : null;
  const [raw, losses, selected] = tf.tidy(() => {
    const idx = tf.tensor1d(Int32Array.from({ length: M }, (_, i) => i), 'int32');
    const views = renderViews(images.test, idx, params, S); // [N·M, S, S, 3] in [0, 1]
    const pl = model.probePairLosses(normalizeViews(views, trainer.normalization), N); // [M, P], eval mode, no side effects
    const sel = cpuPairs ? tf.tensor1d(cpuPairs, 'int32') : selectPairs(pl, config.hvpMode === 'easy' ? 'easy' : 'hard');
    return [views.mul(255).round().clipByValue(0, 255), pl, sel] as [tf.Tensor4D, tf.Tensor2D, tf.Tensor1D];
  });
  const [viewData, lossData, selData] = await Promise.all([raw.data(), losses.data(), selected.data()]);
  tf.dispose([raw, losses, selected]);
  const P = numPairs(N);
  const pairs = pairList(N);
  const ious = pairIous(params, N, M);
  const px = S * S * 3;
  const imagesOut: ProbeImage[] = [];
  for (let m = 0; m < M; m++) {
    const views = new Uint8Array(N * px);
    for (let k = 0; k < N; k++) views.set(viewData.subarray((k * M + m) * px, (k * M + m + 1) * px), k * px);
    const srcPx = src.height * src.width * 3;
    imagesOut.push({
      imageIdx: m,
      label: src.labels ? src.labels[m]! : -1,
      className: src.labels ? (dataset.classNames[src.labels[m]!] ?? '') : '',
      source: src.images.slice(m * srcPx, (m + 1) * srcPx),
      sourceSize: src.height,
      params: Array.from({ length: N }, (_, k) => params[k * M + m]!),
      views,
      viewSize: S,
      pairLosses: Array.from(lossData.subarray(m * P, (m + 1) * P)),
      selectedPair: pairs[selData[m]!]!,
      pairIous: Array.from(ious.subarray(m * P, (m + 1) * P)),
    });
  }
  return { step: trainer.step, numViews: N, images: imagesOut };
}

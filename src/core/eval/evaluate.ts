/**
 * Evaluation of a trainer's current model: weighted kNN on the held-out split and the probe
 * snapshot the gallery shows. Neither touches the training state: BatchNorm runs in eval mode,
 * and the probe draws its views from its own seeded stream.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { isTwoViewMode } from '../hvp/hvpModes';
import { augmentFromConfig, sampleBatchViewParams } from '../data/viewParams';
import { candidateImage, type ScoredBatch } from './candidateRecord';
import { embedImages } from './embed';
import { knnAccuracy } from './knn';
import { probeCandidateTable } from '../hvp/candidates';
import { selectCandidates } from '../hvp/selection';
import { localAugment, sampledCropCounts } from '../hvp/stepViews';
import { renderViews } from '../ops/renderViewsOp';
import { normalizeViews } from '../ops/renderViewsTf';
import type { Rng } from '../random';
import type { KnnMetrics, ProbeSnapshot } from '../train/metrics';
import type { Trainer } from '../train/trainer';

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

/**
 * The gallery snapshot: for the first `numProbeImages` held-out images, the views a training step
 * would sample (hvp/stepViews.ts), the method's eval-mode scores of the candidates a selection step
 * would score (probeCandidates: no side effects; DINO / iBOT also their terms), and the candidate
 * the run's HVP mode would choose: hard / easy the arg max / arg min (earlier on ties), random one
 * uniformly per image, off and iouPolicy views 0 and 1 (the probe does not run the IoU policy). Every draw comes from the probe's own stream `probeRng`.
 * sync point: awaits the views and scores.
 */
export async function captureProbe(trainer: Trainer, probeRng: Rng): Promise<ProbeSnapshot> {
  const { config, dataset, images, model } = trainer;
  const src = dataset.test;
  const M = Math.min(config.numProbeImages, src.numImages);
  const counts = sampledCropCounts(config, model.kind);
  const { numGlobals: G, numLocals: L } = counts;
  const S = config.imageSize;
  const Sl = config.localSize;
  const globalParams = sampleBatchViewParams(probeRng, augmentFromConfig(config), G, M, src.height, src.width);
  const localParams = L > 0 ? sampleBatchViewParams(probeRng, localAugment(config), L, M, src.height, src.width) : [];
  const candidates = probeCandidateTable(config, model.kind, counts, probeRng);
  const C = candidates.numCombos;
  const cpuChoice = config.hvpMode === 'random' ? Int32Array.from({ length: M }, () => probeRng.int(C)) : isTwoViewMode(config.hvpMode) ? new Int32Array(M) : null;
  const mode = config.hvpMode === 'easy' ? 'easy' : 'hard';
  const out = tf.tidy(() => {
    const idx = tf.range(0, M, 1, 'int32') as tf.Tensor1D;
    const globals = renderViews(images.test, idx, globalParams, S); // [G·M, S, S, 3] in [0, 1]
    const locals = L > 0 ? renderViews(images.test, idx, localParams, Sl) : (tf.zeros([0, Sl, Sl, 3]) as tf.Tensor4D); // [L·M, Sl, Sl, 3]
    const candT = tf.tensor2d(candidates.table, [C, 2 + candidates.numLocalsPerCombo], 'int32'); // [C, 2 + l]
    const norm = (t: tf.Tensor4D) => (t.shape[0] > 0 ? normalizeViews(t, trainer.normalization) : t);
    const { scores, terms } = model.probeCandidates(norm(globals), norm(locals), counts, candT); // [M, C], [M, G, G + L] | null
    const sel = cpuChoice ? tf.tensor1d(cpuChoice, 'int32') : selectCandidates(scores, mode); // [M]
    const u8 = (t: tf.Tensor4D) => t.mul(255).round().clipByValue(0, 255);
    return [u8(globals), u8(locals), scores, sel, terms ?? tf.zeros([0])];
  }) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor2D, tf.Tensor1D, tf.Tensor];
  const [gData, lData, scoreData, selData, termData] = await Promise.all(out.map((t) => t.data()));
  tf.dispose(out);
  const batch: ScoredBatch = {
    kind: model.kind, split: src, classNames: dataset.classNames, imageIdx: Int32Array.from({ length: M }, (_, m) => m), numImages: M, counts,
    globalParams, localParams, globalViews: gData as Float32Array, localViews: lData as Float32Array, viewSize: S, localSize: Sl,
    candidates, isPerImage: false, scores: scoreData as Float32Array, terms: model.kind === 'pair' ? null : (termData as Float32Array), selected: selData!, mode,
  };
  return { step: trainer.step, numViews: G, images: Array.from({ length: M }, (_, m) => candidateImage(batch, m)) };
}

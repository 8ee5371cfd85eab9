/**
 * One evaluation of the current backbone at a kNN point: embeds the kNN bank (train split) and
 * the held-out split once, then runs weighted kNN, the online linear probe, collapse health and
 * the PCA map on those embeddings; and the on-demand offline linear probe.
 *
 * Online probe semantics: one softmax-regression probe lives for the whole run loop and is
 * warm-started at every evaluation point — refitted for ONLINE_PROBE_ITERATIONS full-batch Adam
 * steps on the current (detached) bank embeddings, then scored on the held-out split. This is the
 * cheap, read-free stand-in for solo-learn's per-step online probe: it adds no work and no
 * GPU→CPU read to training steps, and it tracks the backbone as it changes. A resumed run starts
 * a fresh probe (its weights are not in the checkpoint).
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { embedImages } from './embed';
import { embeddingMoments, healthFromScatter } from './health';
import { knnAccuracy } from './knn';
import { LinearProbe } from './linearProbe';
import { pcaProject } from './pca';
import type { Dataset } from '../data/types';
import type { EvaluationEvent, LinearProbeMetrics, OfflineProbeResult, Thumbnails } from './evaluationMetrics';
import type { KnnMetrics } from '../train/metrics';
import type { Trainer } from '../train/trainer';

/** Adam steps of the online probe at each evaluation (warm-started). */
export const ONLINE_PROBE_ITERATIONS = 40;
/** Adam steps of the offline probe (from scratch). */
export const OFFLINE_PROBE_ITERATIONS = 300;
/** Most held-out images on the PCA map. */
export const MAX_PCA_POINTS = 300;
/** Held-out images sent as thumbnails (once per loop). */
export const NUM_THUMBNAILS = 32;
/** Largest thumbnail side in px (sources are downsampled to it). */
export const THUMBNAIL_SIZE = 32;

/** Whether kNN and probes can run: both splits labelled with at least two classes. */
export const hasProbeLabels = (d: Dataset): boolean => Boolean(d.train.labels && d.test.labels) && d.numClasses >= 2;

/** The online probe of a loop: created on first use, disposed with the loop. */
export interface OnlineProbeHolder {
  probe: LinearProbe | null;
}

/** Embeddings of one evaluation. NOTE: the caller disposes them. */
interface Embedded {
  bank: { features: tf.Tensor2D; labels: tf.Tensor1D } | null;
  test: { features: tf.Tensor2D; labels: tf.Tensor1D | null };
}

function embedSplits(trainer: Trainer, withBank: boolean): Embedded {
  const { config, dataset, model, images, normalization } = trainer;
  const numBank = Math.min(config.numKnnBankImages, dataset.train.numImages);
  const numTest = dataset.test.numImages;
  const bank = withBank
    ? { features: embedImages(model, images.train, numBank, config.imageSize, normalization), labels: tf.tensor1d(dataset.train.labels!.subarray(0, numBank), 'int32') }
    : null;
  const test = {
    features: embedImages(model, images.test, numTest, config.imageSize, normalization),
    labels: dataset.test.labels ? tf.tensor1d(dataset.test.labels.subarray(0, numTest), 'int32') : null,
  };
  return { bank, test };
}

const disposeEmbedded = (e: Embedded) => {
  e.bank?.features.dispose();
  e.bank?.labels.dispose();
  e.test.features.dispose();
  e.test.labels?.dispose();
};

/** The first NUM_THUMBNAILS held-out images, nearest-neighbour downsampled to ≤ THUMBNAIL_SIZE. */
export function heldOutThumbnails(dataset: Dataset): Thumbnails {
  const src = dataset.test;
  const count = Math.min(NUM_THUMBNAILS, src.numImages);
  const size = Math.min(THUMBNAIL_SIZE, src.height, src.width);
  const pixels = new Uint8Array(count * size * size * 3);
  for (let m = 0; m < count; m++) {
    for (let y = 0; y < size; y++) {
      const sy = Math.floor((y * src.height) / size);
      for (let x = 0; x < size; x++) {
        const sx = Math.floor((x * src.width) / size);
        const from = ((m * src.height + sy) * src.width + sx) * 3;
        pixels.set(src.images.subarray(from, from + 3), ((m * size + y) * size + x) * 3);
      }
    }
  }
  return { size, pixels, count };
}

/**
 * kNN (labelled sets), online probe (labelled sets), health and the PCA map at the current step.
 * sync point: awaits the accuracies, the moments and the mapped rows.
 */
export async function evaluateEmbeddings(trainer: Trainer, online: OnlineProbeHolder, withThumbnails: boolean): Promise<{ knn: KnnMetrics | null; evaluation: EvaluationEvent }> {
  const { config, dataset } = trainer;
  const labelled = hasProbeLabels(dataset);
  const emb = embedSplits(trainer, labelled);
  let centred: tf.Tensor2D | null = null;
  try {
    let knn: KnnMetrics | null = null;
    let linearProbe: LinearProbeMetrics | null = null;
    if (emb.bank && emb.test.labels) {
      const test = { features: emb.test.features, labels: emb.test.labels };
      const top1 = await knnAccuracy(emb.bank.features, emb.bank.labels, test.features, test.labels, { k: config.knnK, temperature: config.knnTemperature, numClasses: dataset.numClasses });
      knn = { step: trainer.step, top1, numBank: emb.bank.features.shape[0], numQueries: test.features.shape[0] };
      online.probe ??= new LinearProbe(emb.bank.features.shape[1], dataset.numClasses);
      online.probe.fit(emb.bank, ONLINE_PROBE_ITERATIONS);
      const [probeTop1, trainTop1] = [await online.probe.accuracy(test), await online.probe.accuracy(emb.bank)];
      linearProbe = { top1: probeTop1, trainTop1, epochs: ONLINE_PROBE_ITERATIONS, numTrain: emb.bank.features.shape[0], numTest: test.features.shape[0] };
    }
    const [n, d] = emb.test.features.shape;
    const moments = await embeddingMoments(emb.test.features);
    centred = moments.centred;
    const numPoints = Math.min(MAX_PCA_POINTS, n);
    const mapped = centred.slice([0, 0], [numPoints, d]);
    const rows = (await mapped.data()) as Float32Array;
    mapped.dispose();
    const { health, eigenvalues } = healthFromScatter(moments.meanStd, moments.scatter, n, d);
    const labels = dataset.test.labels ? dataset.test.labels.subarray(0, numPoints) : new Int32Array(numPoints).fill(-1);
    const pca = { ...pcaProject(rows, numPoints, d, moments.scatter, eigenvalues, labels), ...(dataset.test.labels ? { classNames: [...dataset.classNames] } : {}) };
    const evaluation: EvaluationEvent = { step: trainer.step, linearProbe, health, pca };
    if (withThumbnails) evaluation.thumbnails = heldOutThumbnails(dataset);
    return { knn, evaluation };
  } finally {
    centred?.dispose();
    disposeEmbedded(emb);
  }
}

/** Hooks of the offline probe: `exclusive` runs the embedding between training steps. */
export interface OfflineProbeHooks {
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Lets training steps and messages run between chunks of probe training. */
  yieldToEvents: () => Promise<void>;
  onProgress: (fraction: number) => void;
  /** Checked between chunks; true → the probe stops with an AbortError. */
  isCancelled?: () => boolean;
  iterations?: number;
  now?: () => number;
}

/**
 * Trains a fresh probe on the embedded kNN bank until OFFLINE_PROBE_ITERATIONS Adam steps and
 * scores it on the held-out split. Only the embedding holds the step lock; the probe itself
 * trains in chunks between steps, so the run goes on. sync point: awaits the two accuracies.
 */
export async function runOfflineProbe(trainer: Trainer, hooks: OfflineProbeHooks): Promise<OfflineProbeResult> {
  const { dataset } = trainer;
  if (!hasProbeLabels(dataset)) {
    throw Object.assign(new Error('The linear probe needs a labelled dataset with at least two classes; this dataset has no usable labels.'), {
      hint: 'Use a labelled dataset (e.g. the built-in one) to measure linear accuracy; collapse health and the PCA map work without labels.',
    });
  }
  const now = hooks.now ?? (() => Date.now());
  const started = now();
  const total = hooks.iterations ?? OFFLINE_PROBE_ITERATIONS;
  const { emb, step } = await hooks.exclusive(async () => ({ emb: embedSplits(trainer, true), step: trainer.step }));
  const probe = new LinearProbe(emb.bank!.features.shape[1], dataset.numClasses);
  try {
    const test = { features: emb.test.features, labels: emb.test.labels! };
    const chunk = Math.max(1, Math.ceil(total / 20));
    hooks.onProgress(0);
    for (let done = 0; done < total; done += chunk) {
      if (hooks.isCancelled?.()) throw Object.assign(new Error('The linear probe was cancelled.'), { name: 'AbortError' });
      const n = Math.min(chunk, total - done);
      if (done === 0) probe.fit(emb.bank!, n);
      else probe.step(emb.bank!, n);
      hooks.onProgress(Math.min(0.99, (done + n) / total));
      await hooks.yieldToEvents();
    }
    const top1 = await probe.accuracy(test);
    const trainTop1 = await probe.accuracy(emb.bank!);
    return { step, top1, trainTop1, epochs: total, numTrain: emb.bank!.features.shape[0], numTest: test.features.shape[0], elapsedMs: now() - started };
  } finally {
    probe.dispose();
    disposeEmbedded(emb);
  }
}

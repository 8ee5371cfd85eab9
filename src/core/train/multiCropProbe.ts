/**
 * The gallery snapshot of a multi-crop method (DINO, iBOT): for the first `numProbeImages` held-out
 * images, the views a training step would sample (G globals, L locals; multiCropTrainer.ts), the
 * method's eval-mode loss terms and candidate-combination scores (MultiCropMethod.probeCombos, no
 * side effects), and the combination the run's HVP mode would choose, as ProbeImage.multiCrop
 * (metrics.ts). Draws (view params, candidates, random choice) come from the probe's own stream.
 *   hard / easy — candidates as a selection step (≤ comboCap), chosen = arg max / arg min
 *                 (selection.ts semantics: earlier on ties);
 *   random      — the same candidates, one chosen uniformly per image from the probe stream;
 *   off         — the single identity combination (globals 0, 1, locals 0…l−1).
 * ProbeImage.pairLosses per global pair: the best (hard / random / off: highest; easy: lowest)
 * score among the candidates using that pair, NaN where none does. The per-image record helpers at
 * the end (imageViews, scoredCombos, bestPairScores) are shared with multiCropExplain.ts.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { pairIous } from '../data/iou';
import { augmentFromConfig, sampleBatchViewParams } from '../data/viewParams';
import type { MultiCropMethod } from '../methods/multiCropMethod';
import { renderViews } from '../ops/renderViewsOp';
import { normalizeViews } from '../ops/renderViewsTf';
import type { Rng } from '../random';
import { candidateCombinations, identityCombinations, type ComboTable } from './combinations';
import type { MultiCropProbe, ProbeImage, ProbeSnapshot } from './metrics';
import { localAugment, sampledCropCounts } from './multiCropTrainer';
import { numPairs, pairIndex, pairList } from './pairs';
import { selectPairs } from './selection';
import type { Trainer } from './trainer';

/** captureProbe for a multi-crop method. sync point: awaits the views and losses. */
export async function captureMultiCropProbe(trainer: Trainer, method: MultiCropMethod, probeRng: Rng): Promise<ProbeSnapshot> {
  const { config, dataset, images } = trainer;
  const src = dataset.test;
  const M = Math.min(config.numProbeImages, src.numImages);
  const l = config.numLocalViews;
  const { numGlobals: G, numLocals: L } = sampledCropCounts(config);
  const S = config.imageSize;
  const Sl = config.localSize;
  const gParams = sampleBatchViewParams(probeRng, augmentFromConfig(config), G, M, src.height, src.width);
  const lParams = L > 0 ? sampleBatchViewParams(probeRng, localAugment(config), L, M, src.height, src.width) : [];
  const cands: ComboTable = config.hvpMode === 'off'
    ? { table: identityCombinations(1, l), numCombos: 1, numLocalsPerCombo: l }
    : candidateCombinations(probeRng, G, L, l, config.comboCap);
  const C = cands.numCombos;
  const width = 2 + l;
  const cpuChoice = config.hvpMode === 'random' ? Int32Array.from({ length: M }, () => probeRng.int(C)) : config.hvpMode === 'off' ? new Int32Array(M) : null;
  const mode = config.hvpMode === 'easy' ? 'easy' : 'hard';
  const out = tf.tidy(() => {
    const idx = tf.range(0, M, 1, 'int32') as tf.Tensor1D;
    const globals = renderViews(images.test, idx, gParams, S); // [G·M, S, S, 3] in [0, 1]
    const locals = L > 0 ? renderViews(images.test, idx, lParams, Sl) : (tf.zeros([0, Sl, Sl, 3]) as tf.Tensor4D); // [L·M, Sl, Sl, 3]
    const combos = tf.tensor2d(cands.table, [C, width], 'int32');
    const { terms, comboLosses } = method.probeCombos(normalizeViews(globals, trainer.normalization), L > 0 ? normalizeViews(locals, trainer.normalization) : locals, { numGlobals: G, numLocals: L }, combos); // [M, G, G + L], [M, C]
    const sel = cpuChoice ? tf.tensor1d(cpuChoice, 'int32') : selectPairs(comboLosses, mode); // [M]
    const u8 = (t: tf.Tensor4D) => t.mul(255).round().clipByValue(0, 255);
    return [u8(globals), u8(locals), terms, comboLosses, sel];
  }) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor3D, tf.Tensor2D, tf.Tensor1D];
  const [gData, lData, termData, lossData, selData] = await Promise.all(out.map((t) => t.data()));
  tf.dispose(out);
  const pairs = pairList(G);
  const P = numPairs(G);
  const ious = pairIous(gParams, G, M);
  const px = S * S * 3;
  const lpx = Sl * Sl * 3;
  const srcPx = src.height * src.width * 3;
  const imagesOut: ProbeImage[] = [];
  const allRows = Array.from({ length: C }, (_, c) => c);
  for (let m = 0; m < M; m++) {
    const views = imageViews(gData!, G, M, m, px);
    const localViews = imageViews(lData!, L, M, m, lpx);
    const combos = scoredCombos(cands.table, width, allRows, lossData!.subarray(m * C, (m + 1) * C));
    const pairLosses = bestPairScores(combos, G, mode);
    const chosen = combos[selData![m]!]!;
    const label = src.labels ? src.labels[m]! : -1;
    imagesOut.push({
      imageIdx: m,
      label,
      className: label >= 0 ? (dataset.classNames[label] ?? '') : '',
      source: src.images.slice(m * srcPx, (m + 1) * srcPx),
      sourceSize: src.height,
      params: Array.from({ length: G }, (_, k) => gParams[k * M + m]!),
      views,
      viewSize: S,
      pairLosses,
      selectedPair: pairs[pairIndex(chosen.globals[0], chosen.globals[1], G)]!,
      pairIous: Array.from(ious.subarray(m * P, (m + 1) * P)),
      multiCrop: {
        numGlobals: G,
        numLocals: L,
        localSize: Sl,
        localParams: Array.from({ length: L }, (_, k) => lParams[k * M + m]!),
        localViews,
        terms: Array.from(termData!.subarray(m * G * (G + L), (m + 1) * G * (G + L))),
        combos,
        selectedCombo: selData![m]!,
      },
    });
  }
  return { step: trainer.step, numViews: G, images: imagesOut };
}

/** Image m's n views out of view-major data of `numImages` images, n × [px] concatenated, uint8. */
export function imageViews(data: Float32Array | Int32Array | Uint8Array, n: number, numImages: number, m: number, px: number): Uint8Array {
  const out = new Uint8Array(n * px);
  for (let k = 0; k < n; k++) out.set(data.subarray((k * numImages + m) * px, (k * numImages + m + 1) * px), k * px);
  return out;
}

/** Rows `rows` of a combination table (width 2 + l) with their scores, scores[i] of rows[i]'s column. */
export function scoredCombos(table: Int32Array, width: number, rows: readonly number[], scores: ArrayLike<number>): MultiCropProbe['combos'] {
  return rows.map((c) => {
    const row = table.subarray(c * width, (c + 1) * width);
    return { globals: [row[0]!, row[1]!] as [number, number], locals: Array.from(row.subarray(2)), loss: scores[c]! };
  });
}

/**
 * ProbeImage.pairLosses of a multi-crop image: per global pair of G the best (easy: lowest, else
 * highest) score among the combinations using it, NaN where none does.
 */
export function bestPairScores(combos: MultiCropProbe['combos'], numGlobals: number, mode: 'hard' | 'easy'): number[] {
  const isBetter = (a: number, b: number) => (mode === 'easy' ? a < b : a > b);
  const out = new Array<number>(numPairs(numGlobals)).fill(NaN);
  for (const c of combos) {
    const p = pairIndex(c.globals[0], c.globals[1], numGlobals);
    if (Number.isNaN(out[p]!) || isBetter(c.loss, out[p]!)) out[p] = c.loss;
  }
  return out;
}

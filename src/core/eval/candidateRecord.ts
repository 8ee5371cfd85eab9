/**
 * One image's record of scored candidates, as the gallery (evaluate.ts captureProbe) and "Explain
 * the next step" (explain/explainStep.ts) show it: its source, views and crop boxes, the score of
 * each candidate, the chosen one and the IoU of every global pair — the same ProbeImage for every
 * method. DINO / iBOT add `multiCrop` (locals, the teacher × student terms, the combinations).
 * ProbeImage.pairLosses per global pair: the best (easy: lowest, else highest) score among the
 * candidates using that pair, NaN where none does — for a pair method, whose candidates are all
 * pairs once each, exactly the pair's score.
 * Must not import: tfjs, DOM.
 */
import { pairIous } from '../hvp/iou';
import type { Dataset, ViewParams } from '../data/types';
import type { ComboTable } from '../hvp/combinations';
import type { CropCounts, HvpMethod } from '../hvp/hvpMethod';
import { numPairs, pairIndex, pairList } from '../hvp/pairs';
import type { MultiCropProbe, ProbeImage } from '../train/metrics';

/** Image m's n views out of view-major data of `numImages` images, n × [px] concatenated, uint8. */
export function imageViews(data: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> }, n: number, numImages: number, m: number, px: number): Uint8Array {
  const out = new Uint8Array(n * px);
  for (let k = 0; k < n; k++) out.set(data.subarray((k * numImages + m) * px, (k * numImages + m + 1) * px), k * px);
  return out;
}

/** Rows `rows` of a candidate table (width 2 + l) with their scores, scores[c] of row c. */
export function scoredCombos(table: Int32Array, width: number, rows: readonly number[], scores: ArrayLike<number>): MultiCropProbe['combos'] {
  return rows.map((c) => {
    const row = table.subarray(c * width, (c + 1) * width);
    return { globals: [row[0]!, row[1]!] as [number, number], locals: Array.from(row.subarray(2)), loss: scores[c]! };
  });
}

/** Per global pair of G the best (easy: lowest, else highest) score among the candidates using it, NaN where none does. */
export function bestPairScores(combos: MultiCropProbe['combos'], numGlobals: number, mode: 'hard' | 'easy'): number[] {
  const isBetter = (a: number, b: number) => (mode === 'easy' ? a < b : a > b);
  const out = new Array<number>(numPairs(numGlobals)).fill(NaN);
  for (const c of combos) {
    const p = pairIndex(c.globals[0], c.globals[1], numGlobals);
    if (Number.isNaN(out[p]!) || isBetter(c.loss, out[p]!)) out[p] = c.loss;
  }
  return out;
}

/** What one batch of scored candidates holds (host values), to cut into per-image records. */
export interface ScoredBatch {
  kind: HvpMethod['kind'];
  split: Dataset['train'];
  classNames: readonly string[];
  /** Dataset indices of the shown images (the first K of the batch). */
  imageIdx: ArrayLike<number>;
  /** Images in the batch (M) and the rendered views per image. */
  numImages: number;
  counts: CropCounts;
  /** Parameters of the rendered globals and locals over the whole batch, view-major. */
  globalParams: ViewParams[];
  localParams: ViewParams[];
  /** Rendered views of the K shown images, 0..255, view-major over K. */
  globalViews: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> };
  localViews: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> };
  viewSize: number;
  localSize: number;
  candidates: ComboTable;
  /** Whether `candidates` holds one row per image rather than one table for all. */
  isPerImage: boolean;
  /** Scores [M, C] and, for DINO / iBOT, terms [M, G, G + L]. */
  scores: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> };
  terms: (ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> }) | null;
  /** Index into `candidates` of each image's chosen candidate, [M]. */
  selected: ArrayLike<number>;
  mode: 'hard' | 'easy';
}

/** The record of shown image m (0-based within the K shown). */
export function candidateImage(b: ScoredBatch, m: number): ProbeImage {
  const { numGlobals: G, numLocals: L } = b.counts;
  const M = b.numImages;
  const K = b.imageIdx.length;
  const C = b.candidates.numCombos;
  const width = 2 + b.candidates.numLocalsPerCombo;
  const i = b.imageIdx[m]!;
  const srcPx = b.split.height * b.split.width * 3;
  // One table for all: every candidate; one row per image: the image's own.
  const rows = b.isPerImage ? [b.selected[m]!] : Array.from({ length: C }, (_, c) => c);
  const combos = scoredCombos(b.candidates.table, width, rows, b.scores.subarray(m * C, (m + 1) * C));
  const selectedCombo = rows.indexOf(b.selected[m]!);
  const chosen = combos[selectedCombo]!;
  const P = numPairs(G);
  const label = b.split.labels ? b.split.labels[i]! : -1;
  const image: ProbeImage = {
    imageIdx: i,
    label,
    className: label >= 0 ? (b.classNames[label] ?? '') : '',
    source: b.split.images.slice(i * srcPx, (i + 1) * srcPx),
    sourceSize: b.split.height,
    params: Array.from({ length: G }, (_, k) => b.globalParams[k * M + m]!),
    views: imageViews(b.globalViews, G, K, m, b.viewSize * b.viewSize * 3),
    viewSize: b.viewSize,
    pairLosses: bestPairScores(combos, G, b.mode),
    selectedPair: pairList(G)[pairIndex(chosen.globals[0], chosen.globals[1], G)]!,
    pairIous: Array.from(pairIous(b.globalParams.slice(0, G * M), G, M).subarray(m * P, (m + 1) * P)),
  };
  if (b.kind === 'pair') return image;
  return {
    ...image,
    multiCrop: {
      numGlobals: G,
      numLocals: L,
      localSize: b.localSize,
      localParams: Array.from({ length: L }, (_, k) => b.localParams[k * M + m]!),
      localViews: imageViews(b.localViews, L, K, m, b.localSize * b.localSize * 3),
      terms: Array.from(b.terms!.subarray(m * G * (G + L), (m + 1) * G * (G + L))),
      combos,
      selectedCombo,
    },
  };
}

/**
 * The per-view augmentation log of one selection step (analysis/viewLogRow.ts has the columns):
 * what the trainer hands over (ViewLogStep: host copies of the step's view parameters, candidate
 * table, every candidate's per-sample score and the selected index per image) and the rows built
 * from it, one per (image, candidate), on the CPU.
 * Pair metrics use the same definitions as the telemetry: IoU as telemetry.ts (float32, iou.ts),
 * centre distance (iou.ts) and colour-jitter distance (pairStats.ts).
 * Must not import: tfjs, DOM.
 */
import type { ViewLogRow } from '../analysis/viewLogRow';
import type { ViewParams } from '../data/types';
import type { ComboTable } from './combinations';
import { boxIou, centerDistance } from './iou';
import { cropScale, jitterDistance } from './pairStats';

/** What the log needs of a read selection step; plain data (structured-clone safe). */
export interface ViewLogStep {
  /** 0-based step index. */
  step: number;
  /** Dataset index of each image of the batch [M]. */
  imageIdx: Int32Array;
  /** Parameters of the globals the selection scored, view-major (v = k·M + m), G·M of them (colorStatic: with the shared colour). */
  params: ViewParams[];
  /** Whether the scored views shared one colour augmentation (colorStatic); the trained views kept their own. */
  isColorStatic: boolean;
  /** Side in pixels of the scored globals (imageSize, smaller with selectScale). */
  scoredSize: number;
  numGlobals: number;
  /** The step's candidates (one table for every image). */
  candidates: ComboTable;
  /** Per-sample score of every candidate, row-major [M, C]. */
  scores: Float32Array;
  /** Selected candidate per image [M]. */
  selected: Int32Array;
  /** Source image size in pixels. */
  srcHeight: number;
  srcWidth: number;
}

/** What viewLogStep reads of a queued step (trainer.ts PendingStep). */
export interface LoggedPending {
  step: number;
  imageIdx: Int32Array;
  params: ViewParams[];
  rendered: { numGlobals: number };
  numImages: number;
  candidates: ComboTable;
  /** The scored globals' parameters when the selection scored its own views (colorStatic). */
  selectionParams?: { globals: ViewParams[] };
  selectionSize?: number;
}

/** The log input of a read selection step: the views as the selection scored them. Copies only the slice of globals. */
export function viewLogStep(p: LoggedPending, scores: Float32Array, selected: Int32Array, srcHeight: number, srcWidth: number, imageSize: number): ViewLogStep {
  const G = p.rendered.numGlobals;
  const params = p.selectionParams ? p.selectionParams.globals : p.params.slice(0, G * p.numImages);
  return {
    step: p.step, imageIdx: p.imageIdx, params, isColorStatic: Boolean(p.selectionParams), scoredSize: p.selectionSize ?? imageSize,
    numGlobals: G, candidates: p.candidates, scores, selected, srcHeight, srcWidth,
  };
}

type ViewCells = Record<string, number | string>;

/** The per-view cells of view k (prefix a_ or b_). */
function viewCells(prefix: 'a' | 'b', k: number, v: ViewParams, srcHeight: number, srcWidth: number): ViewCells {
  return {
    [`${prefix}_view`]: k,
    [`${prefix}_top`]: v.top,
    [`${prefix}_left`]: v.left,
    [`${prefix}_height`]: v.height,
    [`${prefix}_width`]: v.width,
    [`${prefix}_scale`]: cropScale(v, srcHeight, srcWidth),
    [`${prefix}_ratio`]: v.width / v.height,
    [`${prefix}_flip`]: v.isFlipped ? 1 : 0,
    [`${prefix}_jitter`]: v.hasJitter ? 1 : 0,
    [`${prefix}_brightness`]: v.brightness,
    [`${prefix}_contrast`]: v.contrast,
    [`${prefix}_saturation`]: v.saturation,
    [`${prefix}_hue`]: v.hue,
    [`${prefix}_jitter_order`]: v.jitterOrder.join(''),
    [`${prefix}_grayscale`]: v.isGrayscale ? 1 : 0,
    [`${prefix}_blur_sigma`]: v.blurSigma,
    [`${prefix}_solarize`]: v.isSolarized ? 1 : 0,
  };
}

/** One row per (image, candidate), images in batch order, candidates in table order. Throws a RangeError on inconsistent shapes. */
export function viewLogRows(s: ViewLogStep): ViewLogRow[] {
  const M = s.imageIdx.length;
  const G = s.numGlobals;
  const { table, numCombos: C, numLocalsPerCombo: l } = s.candidates;
  const width = 2 + l;
  if (s.params.length !== G * M) throw new RangeError(`View log: expected ${G} × ${M} view parameters, got ${s.params.length}`);
  if (s.scores.length !== M * C) throw new RangeError(`View log: expected ${M} × ${C} scores, got ${s.scores.length}`);
  if (s.selected.length !== M) throw new RangeError(`View log: expected ${M} selected indices, got ${s.selected.length}`);
  const rows: ViewLogRow[] = [];
  for (let m = 0; m < M; m++) {
    for (let c = 0; c < C; c++) {
      const k = table[c * width]!, j = table[c * width + 1]!;
      const a = s.params[k * M + m]!, b = s.params[j * M + m]!;
      const locals = Array.from(table.subarray(c * width + 2, (c + 1) * width)).join(';');
      rows.push({
        step: s.step,
        image: s.imageIdx[m]!,
        candidate: c,
        num_candidates: C,
        locals,
        iou: Math.fround(boxIou(a, b)),
        center_distance: centerDistance(a, b, s.srcHeight, s.srcWidth),
        color_distance: jitterDistance(a, b),
        loss: s.scores[m * C + c]!,
        selected: s.selected[m] === c ? 1 : 0,
        color_static: s.isColorStatic ? 1 : 0,
        scored_size: s.scoredSize,
        ...viewCells('a', k, a, s.srcHeight, s.srcWidth),
        ...viewCells('b', j, b, s.srcHeight, s.srcWidth),
      } as ViewLogRow);
    }
  }
  return rows;
}

/**
 * The view log (viewLogRow.ts) as input of the two analyses:
 *   lossDriverData  — "what drives the loss" (paper Fig. 8): one regression row per candidate pair,
 *                     target its per-sample loss, features the pair metrics the paper names — IoU,
 *                     relative centre distance, colour-jitter distance, and the absolute difference
 *                     of the two views' brightness, contrast, saturation and hue (hue around the circle);
 *   choiceData      — "can the choice be predicted" (App. F.1.2): one group per (step, image), its
 *                     candidates described by the per-view parameters only (min and max over the two
 *                     views, since a pair is unordered), the selected one marked.
 * Also the paper's Fig. 8 shares, shown beside ours.
 * Must not import: tfjs, DOM; nothing from core's folders.
 */
import type { ChoiceData } from './choicePredictability';
import { AnalysisInputError, type RegressionData } from './regressionData';
import type { ViewLogRow } from './viewLogRow';

/** A loss-driver feature: its label (the paper's wording) and how a row gives its value. */
interface DriverFeature {
  readonly name: string;
  readonly label: string;
  readonly value: (r: ViewLogRow) => number;
}

const hueDiff = (a: number, b: number): number => {
  const turn = Math.abs(a - b) % 1;
  return Math.min(turn, 1 - turn);
};

/** The features of Fig. 8, in the paper's order of importance. */
export const LOSS_DRIVER_FEATURES: readonly DriverFeature[] = [
  { name: 'iou', label: 'IoU', value: (r) => r.iou },
  { name: 'brightness', label: 'brightness', value: (r) => Math.abs(r.a_brightness - r.b_brightness) },
  { name: 'center_distance', label: 'relative distance', value: (r) => r.center_distance },
  { name: 'color_distance', label: 'colour distance', value: (r) => r.color_distance },
  { name: 'contrast', label: 'contrast', value: (r) => Math.abs(r.a_contrast - r.b_contrast) },
  { name: 'saturation', label: 'saturation', value: (r) => Math.abs(r.a_saturation - r.b_saturation) },
  { name: 'hue', label: 'hue', value: (r) => hueDiff(r.a_hue, r.b_hue) },
];

/** The paper's fANOVA importance of each feature (Fig. 8, SimSiam on CIFAR-10), by feature name. */
export const PAPER_LOSS_DRIVER_SHARES: Readonly<Record<string, number>> = {
  iou: 0.152, brightness: 0.051, center_distance: 0.033, color_distance: 0.023, contrast: 0.016, saturation: 0.014, hue: 0.006,
};

/** The log as regression data: one row per candidate, target = its loss. Throws AnalysisInputError on non-finite values or < 2 rows. */
export function lossDriverData(rows: readonly ViewLogRow[]): RegressionData {
  const p = LOSS_DRIVER_FEATURES.length;
  if (rows.length < 2) throw new AnalysisInputError(`the view log has ${rows.length} pair row${rows.length === 1 ? '' : 's'}; train a few HVP selection steps first (at least 2 rows)`);
  const x = new Float64Array(rows.length * p);
  const y = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    LOSS_DRIVER_FEATURES.forEach((f, j) => {
      const v = f.value(r);
      if (!Number.isFinite(v)) throw new AnalysisInputError(`row ${i}: ${f.name} is ${v}`);
      x[i * p + j] = v;
    });
    if (!Number.isFinite(r.loss)) throw new AnalysisInputError(`row ${i}: loss is ${r.loss}`);
    y[i] = r.loss;
  });
  return { featureNames: LOSS_DRIVER_FEATURES.map((f) => f.name), x, y };
}

/** Per-view parameters the choice model sees (each as min and max over the pair's two views). */
export const CHOICE_VIEW_PARAMS = ['top', 'left', 'height', 'width', 'scale', 'ratio', 'flip', 'brightness', 'contrast', 'saturation', 'hue', 'grayscale', 'blur_sigma', 'solarize'] as const;

/**
 * The log as choice groups, one per (step, image) in log order (rows of a group are consecutive).
 * Groups without exactly one selected row are refused with AnalysisInputError naming the group.
 */
export function choiceData(rows: readonly ViewLogRow[]): ChoiceData {
  const featureNames = CHOICE_VIEW_PARAMS.flatMap((n) => [`${n}Min`, `${n}Max`]);
  const groups: { candidates: number[][]; selectedIdx: number }[] = [];
  let start = 0;
  while (start < rows.length) {
    const { step, image } = rows[start]!;
    let end = start;
    while (end < rows.length && rows[end]!.step === step && rows[end]!.image === image) end++;
    const group = rows.slice(start, end);
    const selected = group.flatMap((r, i) => (r.selected === 1 ? [i] : []));
    if (selected.length !== 1) throw new AnalysisInputError(`step ${step}, image ${image}: ${selected.length} selected candidates, expected exactly 1`);
    const candidates = group.map((r) => CHOICE_VIEW_PARAMS.flatMap((n) => {
      const a = r[`a_${n}`], b = r[`b_${n}`];
      return [Math.min(a, b), Math.max(a, b)];
    }));
    groups.push({ candidates, selectedIdx: selected[0]! });
    start = end;
  }
  return { featureNames, groups };
}

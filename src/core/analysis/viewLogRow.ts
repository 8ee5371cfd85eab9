/**
 * The per-view augmentation log (HVP paper, Sec. 6.1.1 and App. E): one row per candidate of every
 * logged selection step — the two global views it pairs, their augmentation as the selection scored
 * them, the pair's metrics, its per-sample loss and whether the selection kept it. Every view of a
 * selection step appears in the rows of its pairs (N ≥ 2), so the rows hold every view's parameters.
 *
 * This file owns the columns (names, order, documentation) and the two file formats:
 *   CSV        — `# name: description` lines, then the column-name row, then one row per candidate
 *                (pandas: `read_csv(path, comment='#')`);
 *   JSON Lines — a first line `{"format": VIEW_LOG_FORMAT, "version": 1, "columns": {name: description}}`,
 *                then one JSON object per candidate with the same keys.
 * The rows are built from a trainer step by hvp/viewLog.ts; files are read back by viewLogParse.ts.
 * Must not import: tfjs, DOM; nothing from core's folders.
 */

/** Identifies a view-log file (JSON Lines header, CSV first line). */
export const VIEW_LOG_FORMAT = 'hvp-playground-view-log';
export const VIEW_LOG_VERSION = 1;

/** Columns of one view (prefixed `a_` and `b_` in a row), with their documentation. */
export const VIEW_COLUMNS = [
  ['view', 'global view id k within the image (0 … N−1); the batch renders view k of image m as view k·M + m'],
  ['top', 'crop box top row in source pixels (torchvision RandomResizedCrop i)'],
  ['left', 'crop box left column in source pixels (j)'],
  ['height', 'crop box height in source pixels (h)'],
  ['width', 'crop box width in source pixels (w)'],
  ['scale', 'crop area / source image area, in (0, 1]'],
  ['ratio', 'crop aspect ratio width / height'],
  ['flip', '1 when the view is flipped horizontally, else 0'],
  ['jitter', '1 when colour jitter was applied (RandomApply fired), else 0 and the four factors are the identity'],
  ['brightness', 'brightness factor applied (1 = unchanged)'],
  ['contrast', 'contrast factor applied (1 = unchanged)'],
  ['saturation', 'saturation factor applied (1 = unchanged)'],
  ['hue', 'hue shift applied, in turns, [−0.5, 0.5] (0 = unchanged)'],
  ['jitter_order', 'order the four jitter operations ran in, as four digits (0 brightness, 1 contrast, 2 saturation, 3 hue; torchvision fn_idx), e.g. 2013'],
  ['grayscale', '1 when converted to grayscale, else 0'],
  ['blur_sigma', 'Gaussian blur sigma in output pixels; 0 = no blur'],
  ['solarize', '1 when solarized, else 0'],
] as const;

/** Name of a per-view column (without its a_ / b_ prefix). */
export type ViewColumn = (typeof VIEW_COLUMNS)[number][0];

/** Columns of the candidate itself, before the two views' columns. */
export const PAIR_COLUMNS = [
  ['step', '0-based index of the training step (steps completed before it)'],
  ['image', 'dataset index of the training image'],
  ['candidate', "index of the candidate among the step's candidates (pairs in order (0,1), (0,2), …, (1,2), …; DINO / iBOT: combinations)"],
  ['num_candidates', 'candidates per image at this step (C(N, 2) for a pair method); chance of a uniform pick is 1 / num_candidates'],
  ['locals', "DINO / iBOT: the candidate's local view ids, separated by ';' (empty for pair methods; local views' parameters are not logged)"],
  ['iou', "intersection over union of the two global views' crop boxes, in [0, 1] (float32, as the IoU telemetry)"],
  ['center_distance', 'distance of the two crop centres, rows / H and columns / W (0 = same centre, √2 = opposite corners)'],
  ['color_distance', 'L2 distance of the two views’ (brightness, contrast, saturation, hue) factors, hue around the circle'],
  ['loss', "the candidate's per-sample loss in the selection forward (the score HVP ranks; DINO / iBOT: summed over the combination's terms)"],
  ['selected', '1 for the candidate the selection kept for this image, else 0'],
  ['color_static', '1 when the scored views shared one colour augmentation (colorStatic selection): the view columns then hold that shared colour, and the trained views got their own afterwards; else 0'],
  ['scored_size', 'side in pixels of the views the selection scored (the view size, or smaller with selectScale)'],
] as const;

export type PairColumn = (typeof PAIR_COLUMNS)[number][0];

/** One row: the pair columns, then a_<view column> and b_<view column>. `locals` and the jitter orders are text. */
export type ViewLogRow = Record<Exclude<PairColumn, 'locals'>, number> & { locals: string } & Record<`${'a' | 'b'}_${Exclude<ViewColumn, 'jitter_order'>}`, number> & Record<`${'a' | 'b'}_jitter_order`, string>;

/** Every column in file order, with its documentation. */
export const VIEW_LOG_COLUMNS: readonly (readonly [string, string])[] = [
  ...PAIR_COLUMNS,
  ...VIEW_COLUMNS.map(([name, doc]) => [`a_${name}`, `first view: ${doc}`] as const),
  ...VIEW_COLUMNS.map(([name, doc]) => [`b_${name}`, `second view: ${doc}`] as const),
];

/** Columns that hold text (everything else is a finite number). */
export const TEXT_COLUMNS: ReadonlySet<string> = new Set(['locals', 'a_jitter_order', 'b_jitter_order']);

/** A CSV cell: numbers as JavaScript prints them (round-trip exact), text as is (it holds no comma or quote). */
const cell = (v: number | string): string => String(v);

/** The CSV header: `# name: description` lines, then the column-name row (ends with a newline). */
export function viewLogCsvHeader(): string {
  const lines = [
    `# ${VIEW_LOG_FORMAT} version ${VIEW_LOG_VERSION}: one row per candidate of every logged HVP selection step`,
    ...VIEW_LOG_COLUMNS.map(([n, doc]) => `# ${n}: ${doc}`),
    VIEW_LOG_COLUMNS.map(([n]) => n).join(','),
  ];
  return `${lines.join('\n')}\n`;
}

/** The rows as CSV lines (no header), each ending with a newline. */
export function viewLogCsvRows(rows: readonly ViewLogRow[]): string {
  const names = VIEW_LOG_COLUMNS.map(([n]) => n);
  return rows.map((r) => `${names.map((n) => cell((r as unknown as Record<string, number | string>)[n]!)).join(',')}\n`).join('');
}

/** The log as CSV text: the documented header, then one line per row. */
export function viewLogCsv(rows: readonly ViewLogRow[]): string {
  return viewLogCsvHeader() + viewLogCsvRows(rows);
}

/** The JSON Lines header line (documents every column). */
export function viewLogJsonlHeader(): string {
  return JSON.stringify({ format: VIEW_LOG_FORMAT, version: VIEW_LOG_VERSION, columns: Object.fromEntries(VIEW_LOG_COLUMNS) });
}

/** The rows as JSON Lines (no header), one object per line, keys in column order. */
export function viewLogJsonlRows(rows: readonly ViewLogRow[]): string {
  const names = VIEW_LOG_COLUMNS.map(([n]) => n);
  return rows.map((r) => JSON.stringify(Object.fromEntries(names.map((n) => [n, (r as unknown as Record<string, unknown>)[n]])))).join('\n') + (rows.length ? '\n' : '');
}

/** The log as a JSON Lines file: the header line, then the rows. */
export function viewLogJsonl(rows: readonly ViewLogRow[]): string {
  return `${viewLogJsonlHeader()}\n${viewLogJsonlRows(rows)}`;
}

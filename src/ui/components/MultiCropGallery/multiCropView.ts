/**
 * Pure view model of a multi-crop (DINO / iBOT) probe image for the gallery: the G global and L
 * local views with names, colours and whether the chosen combination uses them; the loss-term
 * heatmap G × (G + L) (teacher global rows × student view columns); and the scored combinations,
 * ranked the way the selection ranks them. Reads ProbeImage.multiCrop (core/train/metrics.ts).
 * No DOM, so all of it is unit-tested in Node.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { HvpMode, MethodName } from '../../../core/config/runConfig';
import type { ViewParams } from '../../../core/data/types';
import type { MultiCropProbe, ProbeImage } from '../../../core/train/metrics';
import { cropColor } from './cropColors';

/** One global or local view of the card. */
export interface CropView {
  kind: 'global' | 'local';
  /** Index among the views of its kind (0-based). */
  idx: number;
  /** Column of the view in the terms matrix (globals 0…G−1, locals G…G+L−1). */
  column: number;
  /** 'g1'…, 'l1'… (1-based, as people count). */
  name: string;
  color: string;
  params: ViewParams;
  /** Side of the rendered view in pixels. */
  size: number;
  /** Whether the chosen combination trains on this view. */
  isChosen: boolean;
}

/** One cell of the terms heatmap; null where the method has no term (DINO's q = v diagonal). */
export interface TermCell {
  /** Teacher global (row). */
  q: number;
  /** Student view (column). */
  v: number;
  value: number;
  /** Value scaled to [0, 1] over this image's finite cells of the same kind (CLS terms off the
   * diagonal, iBOT's patch terms on it; 1 = largest); 0.5 when all equal. */
  heat: number;
  /** Whether the chosen combination's loss contains this term. */
  isChosen: boolean;
}

/** One scored combination as the card lists it. */
export interface ComboRow {
  /** Index into MultiCropProbe.combos. */
  comboIdx: number;
  /** 1-based rank in the selection's order (hard: highest loss first, easy: lowest first). */
  rank: number;
  globals: [number, number];
  locals: number[];
  /** 'g1+g2 · l1 l3'. */
  label: string;
  loss: number;
  isChosen: boolean;
}

/** Everything the multi-crop card draws. */
export interface MultiCropView {
  globals: CropView[];
  locals: CropView[];
  /** Locals' rendered side relative to the globals' (localSize / viewSize), for true-size tiles. */
  localScale: number;
  /** terms[q][v], G rows × (G + L) columns. */
  terms: Array<Array<TermCell | null>>;
  /** The chosen combination, or null when the record names none. */
  chosen: ComboRow | null;
  /** The best-ranked `numShown` combinations, plus the chosen one when it ranks lower. */
  topCombos: ComboRow[];
  /** Candidates scored this time (C). */
  numScored: number;
  /** Every possible candidate: (G/2 even ids) × (G/2 odd ids) × C(L, l), l = locals per combination. */
  numPossible: number;
}

/** Display names of the views: 'g1', 'l1', … */
export const globalName = (k: number): string => `g${k + 1}`;
export const localName = (j: number): string => `l${j + 1}`;

/** Colour of local view j when there are G globals: the palette continues after the globals'. */
export const localColor = (j: number, numGlobals: number): string => cropColor(numGlobals + j);

/** Binomial coefficient C(n, k) as a float (exact for the sizes the app allows). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - i + 1)) / i;
  return Math.round(r);
}

/** Label of a combination: 'g1+g2 · l1 l3' (no locals: 'g1+g2'). */
export function comboLabel(globals: readonly [number, number], locals: readonly number[]): string {
  const g = `${globalName(globals[0])}+${globalName(globals[1])}`;
  return locals.length > 0 ? `${g} · ${locals.map(localName).join(' ')}` : g;
}

/** Checks the record's sizes; throws a RangeError naming the field that does not fit. */
function checkProbe(image: ProbeImage, mc: MultiCropProbe): void {
  const G = mc.numGlobals;
  const L = mc.numLocals;
  const fail = (what: string) => {
    throw new RangeError(`Multi-crop probe of image ${image.imageIdx} is malformed: ${what}. The worker and the page are probably of different versions; reload the page.`);
  };
  if (image.params.length !== G) fail(`${image.params.length} global view parameters for ${G} globals`);
  if (mc.localParams.length !== L) fail(`${mc.localParams.length} local view parameters for ${L} locals`);
  if (mc.terms.length !== G * (G + L)) fail(`${mc.terms.length} loss terms, expected G × (G + L) = ${G * (G + L)}`);
  if (mc.combos.length > 0 && (mc.selectedCombo < 0 || mc.selectedCombo >= mc.combos.length)) fail(`chosen combination ${mc.selectedCombo} of ${mc.combos.length}`);
}

/**
 * The view model of one multi-crop probe image. `method` decides the diagonal of the terms matrix
 * (DINO compares a view with itself nowhere: blank; iBOT puts its masked-patch term there), `mode`
 * the ranking of the combinations (easy: lowest loss first; otherwise highest first).
 */
export function multiCropView(image: ProbeImage, mc: MultiCropProbe, method: MethodName, mode: HvpMode, numShown = 5): MultiCropView {
  checkProbe(image, mc);
  const G = mc.numGlobals;
  const L = mc.numLocals;
  const chosenCombo = mc.combos[mc.selectedCombo] ?? null;
  const chosenGlobals = new Set<number>(chosenCombo ? chosenCombo.globals : image.selectedPair);
  const chosenLocals = new Set<number>(chosenCombo ? chosenCombo.locals : []);
  const globals: CropView[] = image.params.map((params, k) => ({
    kind: 'global', idx: k, column: k, name: globalName(k), color: cropColor(k), params, size: image.viewSize, isChosen: chosenGlobals.has(k),
  }));
  const locals: CropView[] = mc.localParams.map((params, j) => ({
    kind: 'local', idx: j, column: G + j, name: localName(j), color: localColor(j, G), params, size: mc.localSize, isChosen: chosenLocals.has(j),
  }));

  // Terms: rows = teacher globals, columns = student views. A chosen combination's loss sums the
  // terms of its 2 globals (rows) against its 2 globals and l locals (columns); DINO skips q = v.
  const hasDiagonal = method === 'ibot';
  const chosenColumns = new Set<number>([...chosenGlobals, ...[...chosenLocals].map((j) => G + j)]);
  // Colour scales: the CLS terms off the diagonal, and iBOT's masked-patch terms on it (another
  // quantity, often larger) on their own scale so neither washes out the other.
  const isDiag = (i: number) => Math.floor(i / (G + L)) === i % (G + L);
  const range = (vals: number[]) => (vals.length > 0 ? [Math.min(...vals), Math.max(...vals)] as const : [0, 0] as const);
  const offRange = range(mc.terms.filter((t, i) => Number.isFinite(t) && !isDiag(i)));
  const diagRange = range(mc.terms.filter((t, i) => Number.isFinite(t) && isDiag(i)));
  const terms: Array<Array<TermCell | null>> = [];
  for (let q = 0; q < G; q++) {
    const row: Array<TermCell | null> = [];
    for (let v = 0; v < G + L; v++) {
      const value = mc.terms[q * (G + L) + v]!;
      if ((q === v && !hasDiagonal) || !Number.isFinite(value)) {
        row.push(null);
        continue;
      }
      const [lo, hi] = q === v ? diagRange : offRange;
      row.push({ q, v, value, heat: hi > lo ? (value - lo) / (hi - lo) : 0.5, isChosen: chosenGlobals.has(q) && chosenColumns.has(v) });
    }
    terms.push(row);
  }

  // Combinations in the selection's order; ties keep the earlier candidate first, as the selection does.
  const sign = mode === 'easy' ? 1 : -1;
  const order = mc.combos
    .map((c, i) => ({ c, i }))
    .sort((a, b) => {
      const fa = Number.isFinite(a.c.loss);
      const fb = Number.isFinite(b.c.loss);
      if (fa !== fb) return fa ? -1 : 1;
      return (fa && a.c.loss !== b.c.loss ? sign * (a.c.loss - b.c.loss) : 0) || a.i - b.i;
    });
  const rows: ComboRow[] = order.map(({ c, i }, r) => ({
    comboIdx: i, rank: r + 1, globals: c.globals, locals: c.locals, label: comboLabel(c.globals, c.locals), loss: c.loss, isChosen: i === mc.selectedCombo,
  }));
  const top = rows.slice(0, numShown);
  const chosen = rows.find((r) => r.isChosen) ?? null;
  if (chosen && !top.includes(chosen)) top.push(chosen);

  const l = chosenCombo ? chosenCombo.locals.length : 0;
  const numPossible = Math.ceil(G / 2) * Math.floor(G / 2) * binomial(L, l);
  return { globals, locals, localScale: image.viewSize > 0 ? mc.localSize / image.viewSize : 1, terms, chosen, topCombos: top, numScored: mc.combos.length, numPossible };
}

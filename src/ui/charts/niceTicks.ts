/**
 * Round ("nice") axis ticks: steps of 1, 2 or 5 × 10^k, with the axis ends snapped outwards to a
 * tick, so charts read 0, 0.05, 0.10 … instead of 0.007, 0.022 …. Also formats those ticks with
 * as many decimals as the step needs. Pure: used by the recharts wrappers in ui/charts/.
 * Must not import: React, recharts, zustand, tfjs.
 */

/** An axis: its domain (ends on ticks unless a fixed end or a limit is off the step grid), its
 * ticks in ascending order, and the step between them. */
export interface NiceScale {
  domain: [number, number];
  ticks: number[];
  step: number;
}

/** How to build a NiceScale. */
export interface NiceScaleOptions {
  /** Most intervals between ticks (default 5). */
  maxIntervals?: number;
  /** Fixed ends; 'auto' ends are snapped outwards to a tick (default both 'auto'). */
  fixed?: readonly [number | 'auto', number | 'auto'];
  /** Hard limits the snapped ends never pass (e.g. [0, 100] for a percentage). */
  limits?: readonly [number, number];
  /** Ticks on integers only (e.g. steps); the step is then at least 1. */
  isInteger?: boolean;
}

/** Decimal exponent of a positive number: floor(log10(x)). */
const exponentOf = (x: number): number => Math.floor(Math.log10(x));

/** Rounds away the float noise of `k * step` (e.g. 3 × 0.1 = 0.30000000000000004 → 0.3). */
function onGrid(k: number, step: number): number {
  const decimals = Math.max(0, -exponentOf(step) + 1);
  return Number((k * step).toFixed(Math.min(20, decimals)));
}

/** The smallest step of the form 1, 2 or 5 × 10^k that is ≥ `raw` (raw > 0). */
export function niceStepAtLeast(raw: number): number {
  const mag = 10 ** exponentOf(raw);
  const norm = raw / mag;
  // A tiny tolerance so 2.0000000001 (float noise) still counts as 2.
  const mult = norm <= 1 + 1e-9 ? 1 : norm <= 2 + 1e-9 ? 2 : norm <= 5 + 1e-9 ? 5 : 10;
  return mult * mag;
}

/** The next larger nice step after `step` (1 → 2 → 5 → 10 …). */
function nextNiceStep(step: number): number {
  return niceStepAtLeast(step * 1.5);
}

/**
 * Nice ticks for data spanning [min, max]. Non-finite bounds are ignored; with no finite data the
 * axis is [0, 1]. A flat series (min = max) gets a span of one decade below its value around it.
 */
export function niceScale(min: number, max: number, options: NiceScaleOptions = {}): NiceScale {
  const { maxIntervals = 5, fixed = ['auto', 'auto'], limits = [-Infinity, Infinity], isInteger = false } = options;
  let lo = typeof fixed[0] === 'number' ? fixed[0] : Number.isFinite(min) ? min : Number.isFinite(max) ? max : 0;
  let hi = typeof fixed[1] === 'number' ? fixed[1] : Number.isFinite(max) ? max : Number.isFinite(min) ? min : 1;
  if (lo > hi) [lo, hi] = [hi, lo];
  if (hi === lo) {
    // Flat data: widen the auto end(s) by half a decade of the value (0 → ±0.5).
    const pad = lo === 0 ? 0.5 : 10 ** exponentOf(Math.abs(lo)) / 2;
    const isLoAuto = fixed[0] === 'auto';
    const isHiAuto = fixed[1] === 'auto' || !isLoAuto;
    if (isLoAuto) lo -= isHiAuto ? pad : 2 * pad;
    if (isHiAuto) hi += isLoAuto ? pad : 2 * pad;
  }
  lo = Math.max(lo, limits[0]);
  hi = Math.min(hi, limits[1]);
  if (!(hi > lo)) hi = lo + 1;

  let step = niceStepAtLeast((hi - lo) / maxIntervals);
  if (isInteger) step = Math.max(1, step);
  let loK = 0;
  let hiK = 0;
  for (;;) {
    loK = Math.floor(lo / step + 1e-9);
    hiK = Math.ceil(hi / step - 1e-9);
    if (hiK - loK <= maxIntervals) break;
    step = nextNiceStep(step);
  }
  const domain: [number, number] = [
    fixed[0] === 'auto' ? Math.max(limits[0], onGrid(loK, step)) : lo,
    fixed[1] === 'auto' ? Math.min(limits[1], onGrid(hiK, step)) : hi,
  ];
  const ticks: number[] = [];
  for (let k = loK; k <= hiK; k++) {
    const t = onGrid(k, step);
    if (t >= domain[0] - 1e-12 && t <= domain[1] + 1e-12) ticks.push(t);
  }
  return { domain, ticks, step };
}

/** A tick value as text with the decimals its step needs: step 0.05 → "0.15", step 10 → "40";
 * steps below 0.001 in exponent form ("2e-4", "1.5e-4"). Zero is "0". */
export function formatTick(value: number, step: number): string {
  if (value === 0 || Object.is(value, -0)) return '0';
  if (step < 1e-3) {
    const digits = Math.max(0, exponentOf(Math.abs(value)) - exponentOf(step));
    return value.toExponential(Math.min(20, digits)).replace(/\.?0+e/, 'e').replace('e+', 'e');
  }
  return value.toFixed(Math.max(0, -exponentOf(step)));
}

/** `scale` with its upper end moved up to `numIntervals` steps above its lower end, so a second
 * axis's ticks fall on the first axis's grid lines; unchanged when it has that many already or
 * the new end would pass `maxEnd`. */
export function extendToIntervals(scale: NiceScale, numIntervals: number, maxEnd = Infinity): NiceScale {
  const have = scale.ticks.length - 1;
  const lo = scale.ticks[0];
  if (lo === undefined || lo !== scale.domain[0] || have >= numIntervals) return scale;
  const ticks = Array.from({ length: numIntervals + 1 }, (_, i) => Number((lo + i * scale.step).toPrecision(12)));
  const hi = ticks[numIntervals]!;
  return hi > maxEnd ? scale : { domain: [lo, hi], ticks, step: scale.step };
}

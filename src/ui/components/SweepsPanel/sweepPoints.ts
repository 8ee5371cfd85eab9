/**
 * What the Sweeps panel plots from a checked sweep results file (core/config/sweepResults.ts): the
 * grid keys it can plot against (two or more values), the metrics, the paper's figures present in
 * the grid, and the points — cells grouped by the x value and by series (HVP off = baseline, and
 * each HVP mode), every other multi-valued grid key held at one chosen value (never averaged over),
 * then mean, min, max and sample SD over the seeds. Pure: no React, no recharts.
 * Must not import: zustand, recharts, tfjs.
 */
import type { HvpMode } from '../../../core/config/runConfig';
import type { SettingValue, SweepCellRecord, SweepResults, SweepSpec } from '../../../core/config/sweepResults';

/** A cell measure the panel can plot. */
export type SweepMetricKey = 'knnTop1' | 'linearProbeTop1' | 'meanLowestIouHitRate' | 'meanSelectedIou' | 'wallMs';

/** How a metric is shown: its name, axis title, the factor from the file's unit to the shown one, and a formatter of shown values. */
export interface SweepMetric {
  key: SweepMetricKey;
  label: string;
  axisLabel: string;
  /** File value × scale = shown value (fractions → %, ms → s). */
  scale: number;
  /** Limits of the shown value (for the axis). */
  limits?: [number, number];
  format: (shown: number) => string;
}

export const SWEEP_METRICS: readonly SweepMetric[] = [
  { key: 'knnTop1', label: 'kNN top-1', axisLabel: 'kNN top-1 (%)', scale: 100, limits: [0, 100], format: (v) => `${v.toFixed(1)} %` },
  { key: 'linearProbeTop1', label: 'linear probe top-1', axisLabel: 'probe top-1 (%)', scale: 100, limits: [0, 100], format: (v) => `${v.toFixed(1)} %` },
  { key: 'meanLowestIouHitRate', label: 'lowest-IoU hit rate', axisLabel: 'hit rate (%)', scale: 100, limits: [0, 100], format: (v) => `${v.toFixed(1)} %` },
  { key: 'meanSelectedIou', label: 'selected IoU', axisLabel: 'selected IoU', scale: 1, limits: [0, 1], format: (v) => v.toFixed(3) },
  { key: 'wallMs', label: 'wall time', axisLabel: 'wall time (s)', scale: 1e-3, limits: [0, Infinity], format: (v) => `${v.toFixed(1)} s` },
];

export const metricOf = (key: SweepMetricKey): SweepMetric => SWEEP_METRICS.find((m) => m.key === key)!;

/** The grid keys with two or more values, in grid order: what the x axis can be. */
export const plottableKeys = (spec: SweepSpec): string[] => spec.grid.filter((a) => a.values.length >= 2).map((a) => a.key);

/** The grid keys other than `xKey` with two or more values: each needs a fixed value. */
export const fixableKeys = (spec: SweepSpec, xKey: string): string[] => plottableKeys(spec).filter((k) => k !== xKey);

/** The first value of each fixable key (the panel's default), keeping choices in `current` that are still grid values. */
export function defaultFixed(spec: SweepSpec, xKey: string, current: Readonly<Record<string, SettingValue>> = {}): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  for (const axis of spec.grid) {
    if (axis.key === xKey || axis.values.length < 2) continue;
    const kept = current[axis.key];
    out[axis.key] = kept !== undefined && axis.values.includes(kept) ? kept : axis.values[0]!;
  }
  return out;
}

/** A one-click choice of x key and metric that reproduces a figure of the paper. */
export interface PaperFigure {
  label: string;
  xKey: string;
  metric: SweepMetricKey;
}

/** Colour-jitter strength keys, in the order the Fig. 4 choice prefers them. */
const JITTER_KEYS = ['jitterBrightness', 'jitterContrast', 'jitterSaturation', 'jitterHue', 'jitterProb'];

/** The paper's figures whose x key the grid sweeps (with two or more values). */
export function paperFigures(spec: SweepSpec): PaperFigure[] {
  const keys = plottableKeys(spec);
  const out: PaperFigure[] = [];
  if (keys.includes('cropScaleMin')) out.push({ label: 'Fig. 4: RRC lower bound', xKey: 'cropScaleMin', metric: 'knnTop1' });
  const jitter = JITTER_KEYS.find((k) => keys.includes(k));
  if (jitter) out.push({ label: 'Fig. 4: colour jitter', xKey: jitter, metric: 'knnTop1' });
  if (keys.includes('numViews')) out.push({ label: 'Fig. 7: views N', xKey: 'numViews', metric: 'knnTop1' });
  return out;
}

/** One plotted point: the metric over the seeds of one x value and series, in the file's unit. */
export interface SweepPoint {
  x: SettingValue;
  mean: number;
  min: number;
  max: number;
  /** Sample standard deviation (n − 1); 0 for one seed. */
  sd: number;
  /** How many seeds (cells) the point averages. */
  n: number;
  seeds: number[];
}

/** One series: HVP off (the baseline) or one HVP mode. */
export interface SweepSeries {
  hvpMode: HvpMode;
  isBaseline: boolean;
  label: string;
  /** In x order (grid order; ascending when every value is a number). */
  points: SweepPoint[];
}

/** The plot of a selection. */
export interface SweepPlot {
  series: SweepSeries[];
  /** The values the other multi-valued grid keys are held at. */
  fixed: Record<string, SettingValue>;
  /** The x values in axis order. */
  xValues: SettingValue[];
  /** Cells of the selection (x any, others fixed) that went into points. */
  numCellsUsed: number;
  /** Cells of the selection whose metric is null (not measured), left out. */
  numCellsWithoutValue: number;
}

export const seriesLabel = (mode: HvpMode): string => (mode === 'off' ? 'baseline (HVP off)' : `HVP (${mode})`);

/** Mean, min, max and sample SD of a non-empty list. */
function stats(values: readonly number[]): { mean: number; min: number; max: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length < 2 ? 0 : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, min: Math.min(...values), max: Math.max(...values), sd };
}

/** The x values of `xKey` in axis order: grid order, ascending when all are numbers. */
export function xOrder(spec: SweepSpec, xKey: string): SettingValue[] {
  const values = [...(spec.grid.find((a) => a.key === xKey)?.values ?? [])];
  return values.every((v) => typeof v === 'number') ? (values as number[]).sort((a, b) => a - b) : values;
}

/**
 * The points of `metric` vs `xKey`, one series per HVP mode of the spec (baseline first). Every other
 * grid key with several values is held at `fixed` (its first value when `fixed` lacks it); cells whose
 * metric is null are left out and counted.
 */
export function sweepPoints(results: SweepResults, xKey: string, metric: SweepMetricKey, fixed: Readonly<Record<string, SettingValue>> = {}): SweepPlot {
  const { spec } = results;
  const held = defaultFixed(spec, xKey, fixed);
  const xValues = xOrder(spec, xKey);
  const selected = results.cells.filter((c) => Object.entries(held).every(([k, v]) => c.settings[k] === v));
  const modes = [...spec.hvpModes].sort((a, b) => Number(b === 'off') - Number(a === 'off'));
  let numCellsUsed = 0;
  let numCellsWithoutValue = 0;
  const series = modes.map((mode): SweepSeries => {
    const points: SweepPoint[] = [];
    for (const x of xValues) {
      const group: SweepCellRecord[] = selected.filter((c) => c.settings.hvpMode === mode && c.settings[xKey] === x);
      const measured = group.filter((c) => c[metric] !== null);
      numCellsWithoutValue += group.length - measured.length;
      if (measured.length === 0) continue;
      numCellsUsed += measured.length;
      points.push({ x, ...stats(measured.map((c) => c[metric] as number)), n: measured.length, seeds: measured.map((c) => c.settings.seed as number) });
    }
    return { hvpMode: mode, isBaseline: mode === 'off', label: seriesLabel(mode), points };
  });
  return { series, fixed: held, xValues, numCellsUsed, numCellsWithoutValue };
}

// The Sweeps panel's points: grouped by x value and series (baseline first), mean / min / max /
// sample SD over seeds, other multi-valued grid keys held fixed (never averaged), null metrics left
// out and counted; plottable keys, default fixed values and the paper's figure choices.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../core/config/runConfig';
import type { SweepCellRecord, SweepResults } from '../../../core/config/sweepResults';
import { defaultFixed, fixableKeys, paperFigures, plottableKeys, sweepPoints, xOrder } from './sweepPoints';

/** A cell whose kNN is `knn` (null: not measured) and wall time 1000 × seed ms. */
function cell(numViews: number, cropScaleMin: number, seed: number, hvpMode: 'off' | 'hard', knn: number | null): SweepCellRecord {
  return {
    id: `numViews=${numViews} cropScaleMin=${cropScaleMin} seed=${seed} hvpMode=${hvpMode}`,
    settings: { numViews, cropScaleMin, seed, hvpMode },
    step: 10, knnTop1: knn, linearProbeTop1: null, meanLowestIouHitRate: hvpMode === 'off' ? null : 0.5, meanSelectedIou: 0.3,
    numLoggedSteps: 2, wallMs: 1000 * seed, backend: 'cpu', finishedAt: '',
  };
}

/** numViews 8,2,4 (grid order not sorted) × cropScaleMin 0.2,0.5 × seeds 1,2,3 × off/hard. */
function results(): SweepResults {
  const cells: SweepCellRecord[] = [];
  for (const numViews of [8, 2, 4]) {
    for (const crop of [0.2, 0.5]) {
      for (const seed of [1, 2, 3]) {
        // kNN = numViews/10 + seed/100 (+0.1 with HVP, +0.3 at crop 0.5), so means and spreads are known.
        cells.push(cell(numViews, crop, seed, 'off', numViews / 10 + seed / 100 + (crop === 0.5 ? 0.3 : 0)));
        cells.push(cell(numViews, crop, seed, 'hard', numViews / 10 + seed / 100 + 0.1 + (crop === 0.5 ? 0.3 : 0)));
      }
    }
  }
  return {
    format: 'hvp-playground-sweep', version: 1, averagedOver: '', numCells: cells.length,
    spec: { grid: [{ key: 'numViews', values: [8, 2, 4] }, { key: 'cropScaleMin', values: [0.2, 0.5] }, { key: 'jitterHue', values: [0.1] }], seeds: [1, 2, 3], hvpModes: ['off', 'hard'], steps: null, base: DEFAULT_CONFIG },
    cells: cells.map((c) => ({ ...c, settings: { ...c.settings, jitterHue: 0.1 } })),
  };
}

describe('sweepPoints', () => {
  it('groups by x and series, averages over seeds with min/max/SD, holding the other key at its first value', () => {
    const plot = sweepPoints(results(), 'numViews', 'knnTop1');
    expect(plot.fixed).toEqual({ cropScaleMin: 0.2 });
    expect(plot.xValues).toEqual([2, 4, 8]);
    expect(plot.series.map((s) => [s.hvpMode, s.isBaseline, s.label])).toEqual([['off', true, 'baseline (HVP off)'], ['hard', false, 'HVP (hard)']]);
    const off = plot.series[0]!.points;
    expect(off.map((p) => p.x)).toEqual([2, 4, 8]);
    expect(off[0]!.mean).toBeCloseTo(0.22, 12);
    expect(off[0]!.min).toBeCloseTo(0.21, 12);
    expect(off[0]!.max).toBeCloseTo(0.23, 12);
    expect(off[0]!.sd).toBeCloseTo(0.01, 12); // sample SD of 0.21, 0.22, 0.23
    expect(off[0]!.n).toBe(3);
    expect(off[0]!.seeds).toEqual([1, 2, 3]);
    expect(plot.series[1]!.points[2]!.mean).toBeCloseTo(0.92, 12);
    expect(plot.numCellsUsed).toBe(18);
    expect(plot.numCellsWithoutValue).toBe(0);
  });

  it('a fixed value picks its cells: never an average over the fixed key', () => {
    const plot = sweepPoints(results(), 'numViews', 'knnTop1', { cropScaleMin: 0.5 });
    expect(plot.series[0]!.points[0]!.mean).toBeCloseTo(0.52, 12);
    const byCrop = sweepPoints(results(), 'cropScaleMin', 'knnTop1', { numViews: 8 });
    expect(byCrop.fixed).toEqual({ numViews: 8 });
    expect(byCrop.series[1]!.points.map((p) => Number(p.mean.toFixed(6)))).toEqual([0.92, 1.22]);
  });

  it('null metrics are left out and counted; a series with none has no points', () => {
    const plot = sweepPoints(results(), 'numViews', 'meanLowestIouHitRate');
    expect(plot.series[0]!.points).toEqual([]);
    expect(plot.series[1]!.points).toHaveLength(3);
    expect(plot.numCellsWithoutValue).toBe(9);
    const r = results();
    r.cells[0]!.knnTop1 = null; // numViews=8 crop=0.2 seed=1 off
    const partial = sweepPoints(r, 'numViews', 'knnTop1');
    expect(partial.series[0]!.points[2]).toMatchObject({ n: 2, seeds: [2, 3], sd: expect.closeTo(Math.SQRT1_2 * 0.01, 12) });
    expect(partial.numCellsWithoutValue).toBe(1);
  });

  it('a single seed has SD 0 and min = max = mean', () => {
    const r = results();
    r.cells = r.cells.filter((c) => c.settings.seed === 2);
    const p = sweepPoints(r, 'numViews', 'wallMs').series[0]!.points[0]!;
    expect(p).toMatchObject({ mean: 2000, min: 2000, max: 2000, sd: 0, n: 1 });
  });
});

describe('keys and figures', () => {
  it('x can be a key with two or more values; the others get a fixed value', () => {
    const { spec } = results();
    expect(plottableKeys(spec)).toEqual(['numViews', 'cropScaleMin']);
    expect(fixableKeys(spec, 'numViews')).toEqual(['cropScaleMin']);
    expect(defaultFixed(spec, 'cropScaleMin')).toEqual({ numViews: 8 });
    expect(defaultFixed(spec, 'cropScaleMin', { numViews: 4 })).toEqual({ numViews: 4 });
    expect(defaultFixed(spec, 'cropScaleMin', { numViews: 5 })).toEqual({ numViews: 8 }); // not a grid value
    expect(xOrder({ ...spec, grid: [{ key: 'backbone', values: ['vit', 'resnet10'] }] }, 'backbone')).toEqual(['vit', 'resnet10']);
  });

  it('offers the paper figures whose keys the grid sweeps', () => {
    const { spec } = results();
    expect(paperFigures(spec).map((f) => [f.label, f.xKey, f.metric])).toEqual([['Fig. 4: RRC lower bound', 'cropScaleMin', 'knnTop1'], ['Fig. 7: views N', 'numViews', 'knnTop1']]);
    const jitter = { ...spec, grid: [{ key: 'jitterSaturation' as const, values: [0, 0.4] }, { key: 'jitterHue' as const, values: [0.1] }] };
    expect(paperFigures(jitter).map((f) => [f.label, f.xKey])).toEqual([['Fig. 4: colour jitter', 'jitterSaturation']]);
  });
});

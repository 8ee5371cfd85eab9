// The sweep's cells and its CSV without training: grid values are parsed and validated like --set,
// cells come in a fixed order (first key outermost, then seed, then HVP off before on), a run without
// evaluations evaluates once at its end, and the CSV quotes what needs quoting.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config/runConfig';
import { csvPathFor, sweepCsv, type CellResult } from './sweepFile';
import { expandCells, hvpOnMode, parseGrid, parseSeeds, type SweepSpec } from './sweepSpec';

const base = { ...DEFAULT_CONFIG, totalSteps: 50, knnEvery: 0 };

describe('sweep spec', () => {
  it('expands grid × seeds × HVP off/on in order, with parsed values and an end-of-run evaluation', () => {
    const grid = parseGrid(['numViews=2, 4', 'cropScaleMin=0.08,0.5'], base);
    expect(grid).toEqual([{ key: 'numViews', values: [2, 4] }, { key: 'cropScaleMin', values: [0.08, 0.5] }]);
    const spec: SweepSpec = { grid, seeds: parseSeeds('0,1', base), hvpModes: ['off', hvpOnMode(base)], steps: 10, base };
    const cells = expandCells(spec, null, { totalSteps: '50', knnEvery: '0' });
    expect(cells).toHaveLength(16);
    expect(cells.slice(0, 3).map((c) => c.id)).toEqual(['numViews=2 cropScaleMin=0.08 seed=0 hvpMode=off', 'numViews=2 cropScaleMin=0.08 seed=0 hvpMode=hard', 'numViews=2 cropScaleMin=0.08 seed=1 hvpMode=off']);
    expect(cells.at(-1)!.config).toMatchObject({ numViews: 4, cropScaleMin: 0.5, seed: 1, hvpMode: 'hard', knnEvery: 10 });
    expect(cells.every((c) => c.targetStep === 10)).toBe(true);
  });

  it("runs HVP 'on' with the base mode, and hard when the base has HVP off", () => {
    expect(hvpOnMode({ ...base, hvpMode: 'easy' })).toBe('easy');
    expect(hvpOnMode({ ...base, hvpMode: 'off' })).toBe('hard');
  });

  it('refuses bad grids and seeds with the offending argument named', () => {
    expect(() => parseGrid(['numViews'], base)).toThrow(/not KEY=V1,V2/);
    expect(() => parseGrid(['numViews=2,,4'], base)).toThrow(/empty value/);
    expect(() => parseGrid(['numViews=2', 'numViews=4'], base)).toThrow(/given twice/);
    expect(() => parseGrid(['numViews=4,4'], base)).toThrow(/lists a value twice/);
    expect(() => parseGrid(['seed=1,2'], base)).toThrow(/the sweep sets seed itself/);
    expect(() => parseSeeds('1,x', base)).toThrow(/--seeds x/);
    // a cross-field rule broken by one combination names the cell
    const spec: SweepSpec = { grid: parseGrid(['cropScaleMin=0.5,0.9'], base), seeds: [0], hvpModes: ['off', 'hard'], steps: null, base };
    expect(() => expandCells(spec, null, { cropScaleMax: '0.8' })).toThrow(/cell cropScaleMin=0\.9 seed=0 hvpMode=off/);
  });
});

describe('sweep CSV', () => {
  it('derives its path from --out and quotes fields that need it', () => {
    expect(csvPathFor('runs/sweep.json', undefined)).toBe('runs/sweep.csv');
    expect(csvPathFor('sweep.out', undefined)).toBe('sweep.out.csv');
    expect(csvPathFor('sweep.json', 'x.csv')).toBe('x.csv');
    const spec: SweepSpec = { grid: [{ key: 'method', values: ['simsiam'] }], seeds: [0], hvpModes: ['off', 'hard'], steps: null, base };
    const cell: CellResult = { id: 'a', settings: { method: 'sim,siam', seed: 0, hvpMode: 'off' }, step: 3, knnTop1: 0.5, linearProbeTop1: null, meanLowestIouHitRate: null, meanSelectedIou: 0.25, numLoggedSteps: 3, wallMs: 10, backend: 'cpu', finishedAt: 't' };
    const lines = sweepCsv(spec, [cell]).trim().split('\n');
    expect(lines[0]!.startsWith('method,seed,hvpMode,step,knnTop1')).toBe(true);
    expect(lines[1]).toBe('"sim,siam",0,off,3,0.5,,,0.25,3,10,cpu,t');
  });
});

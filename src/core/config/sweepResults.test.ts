// The sweep results reader on good files (the CLI's shape, no cells yet, a BOM, text grid values) and
// on each refusal: too large or empty, not JSON, another format, another version, a missing or
// mistyped field, a non-finite or out-of-range number, a cell off the grid, a repeated cell id.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, HVP_MODES } from './runConfig';
import { MAX_SWEEP_FILE_BYTES, parseSweepResults, sweepFileSizeProblem, type SweepFile } from './sweepResults';

const cell = (cropScaleMin: number, seed: number, hvpMode: 'off' | 'hard', knnTop1: number | null = 0.5) => ({
  id: `cropScaleMin=${cropScaleMin} seed=${seed} hvpMode=${hvpMode}`,
  settings: { cropScaleMin, seed, hvpMode },
  step: 3,
  knnTop1,
  linearProbeTop1: 0.25,
  meanLowestIouHitRate: hvpMode === 'off' ? null : 0.4,
  meanSelectedIou: 0.3,
  numLoggedSteps: 3,
  wallMs: 1234.5,
  backend: 'wasm',
  finishedAt: '2026-01-01T00:00:00.000Z',
});

/** A file as `sweep` writes it: cropScaleMin × 2 seeds × HVP off/hard, 3 of 8 cells done. */
const goodFile = (): SweepFile => ({
  format: 'hvp-playground-sweep',
  version: 1,
  averagedOver: 'the logged steps',
  numCells: 8,
  spec: { grid: [{ key: 'cropScaleMin', values: [0.2, 0.5] }], seeds: [1, 2], hvpModes: ['off', 'hard'], steps: 3, base: DEFAULT_CONFIG },
  cells: [cell(0.2, 1, 'off'), cell(0.2, 1, 'hard', 0.75), cell(0.5, 2, 'off', null)],
});

const read = (f: unknown, name = 'f.json') => parseSweepResults(typeof f === 'string' ? f : JSON.stringify(f), name);
/** The refusal's problem and hint of `f` (fails the test if it was accepted). */
function refusal(f: unknown): { problem: string; hint: string } {
  const r = read(f);
  if (r.ok) throw new Error('accepted a bad file');
  return r;
}
/** goodFile with `edit` applied. */
const edited = (edit: (f: Record<string, any>) => void): Record<string, any> => {
  const f = JSON.parse(JSON.stringify(goodFile())) as Record<string, any>;
  edit(f);
  return f;
};

describe('parseSweepResults: good files', () => {
  it('reads the CLI shape with its cells and settings', () => {
    const r = read(goodFile());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.results.numCells).toBe(8);
    expect(r.results.spec.grid).toEqual([{ key: 'cropScaleMin', values: [0.2, 0.5] }]);
    expect(r.results.cells.map((c) => c.settings)).toEqual([
      { cropScaleMin: 0.2, seed: 1, hvpMode: 'off' },
      { cropScaleMin: 0.2, seed: 1, hvpMode: 'hard' },
      { cropScaleMin: 0.5, seed: 2, hvpMode: 'off' },
    ]);
    expect(r.results.cells[1]!.knnTop1).toBe(0.75);
    expect(r.results.cells[2]!.knnTop1).toBeNull();
  });

  it('reads a file with no finished cells, a leading BOM, a text-valued grid key and no grid', () => {
    expect(read(edited((f) => (f.cells = []))).ok).toBe(true);
    expect(read(`\uFEFF${JSON.stringify(goodFile())}`).ok).toBe(true);
    const text = edited((f) => {
      f.spec.grid = [{ key: 'backbone', values: ['resnet10', 'vit'] }];
      f.cells = [{ ...cell(0.2, 1, 'off'), settings: { backbone: 'vit', seed: 1, hvpMode: 'off' } }];
    });
    expect(read(text).ok).toBe(true);
    expect(read(edited((f) => { f.spec.grid = []; f.cells = [{ ...cell(0.2, 1, 'off'), settings: { seed: 1, hvpMode: 'off' } }]; })).ok).toBe(true);
  });
});

describe('parseSweepResults: refusals', () => {
  it('a file over 64 MiB or empty is refused by its size, before reading', () => {
    expect(sweepFileSizeProblem(MAX_SWEEP_FILE_BYTES + 1, 'big.json')?.problem).toMatch(/"big\.json" is 64\.0 MiB; a sweep results file is at most 64 MiB/);
    expect(sweepFileSizeProblem(MAX_SWEEP_FILE_BYTES, 'ok.json')).toBeNull();
    expect(sweepFileSizeProblem(0, 'e.json')?.problem).toMatch(/is empty/);
    expect(refusal('').problem).toMatch(/is empty/);
  });

  it('text that is not JSON says so and how to make a sweep file', () => {
    const r = refusal('cropScaleMin,seed,hvpMode\n0.2,1,off\n');
    expect(r.problem).toMatch(/^"f\.json" is not JSON \(.+\), so it is not a sweep results file\.$/);
    expect(r.hint).toMatch(/npm run cli -- sweep .*--out f\.json/);
  });

  it('JSON of another kind, or another format, is not a sweep results file', () => {
    expect(refusal([1, 2]).problem).toMatch(/is not a sweep results file: it holds an array/);
    expect(refusal(null).problem).toMatch(/is not a sweep results file/);
    expect(refusal({ format: 'hvp-playground-checkpoint' }).problem).toMatch(/its format is "hvp-playground-checkpoint", not "hvp-playground-sweep"/);
    const r = refusal({ hello: 1 });
    expect(r.problem).toMatch(/it has no "format" field/);
    expect(r.hint).toMatch(/npm run cli -- sweep/);
  });

  it('another version names both versions and says to rerun with this CLI', () => {
    const r = refusal(edited((f) => (f.version = 2)));
    expect(r.problem).toMatch(/version 2; this app reads version 1/);
    expect(r.hint).toMatch(/Rerun the sweep/);
  });

  it('a missing or mistyped top-level field is named', () => {
    expect(refusal(edited((f) => delete f.averagedOver)).problem).toMatch(/^"f\.json": its "averagedOver" is missing; it must be a text\.$/);
    expect(refusal(edited((f) => (f.numCells = -1))).problem).toMatch(/"numCells" is -1; it must be a whole number ≥ 0/);
    expect(refusal(edited((f) => (f.cells = {}))).problem).toMatch(/"cells" is an object; it must be a list/);
    expect(refusal(edited((f) => delete f.spec)).problem).toMatch(/"spec" is missing/);
    expect(refusal(edited((f) => (f.numCells = 2))).problem).toMatch(/holds 3 cells, more than the 2/);
  });

  it('a bad spec is named: grid key, values, seeds, modes, steps, base', () => {
    expect(refusal(edited((f) => (f.spec.grid = 'x'))).problem).toMatch(/spec\.grid is "x"/);
    expect(refusal(edited((f) => (f.spec.grid[0].key = '__proto__'))).problem).toMatch(/spec\.grid\[0\]\.key "__proto__" is not a setting name/);
    expect(refusal(edited((f) => (f.spec.grid[0].key = 'seed'))).problem).toMatch(/sets itself/);
    expect(refusal(edited((f) => (f.spec.grid[0].values = []))).problem).toMatch(/non-empty list/);
    expect(refusal(edited((f) => (f.spec.grid[0].values = [0.2, 0.2]))).problem).toMatch(/twice/);
    expect(refusal(edited((f) => (f.spec.grid[0].values = [0.2, { a: 1 }]))).problem).toMatch(/values\[1\] \(cropScaleMin\) \(a setting value.*\) is an object/);
    expect(refusal(edited((f) => f.spec.grid.push({ key: 'cropScaleMin', values: [1] }))).problem).toMatch(/names a setting twice/);
    expect(refusal(edited((f) => (f.spec.seeds = [1, 1.5]))).problem).toMatch(/spec\.seeds\[1\] is 1\.5; it must be a whole number ≥ 0/);
    expect(refusal(edited((f) => (f.spec.hvpModes = ['off', 'hardest']))).problem).toContain(`spec.hvpModes[1] is "hardest"; it must be one of ${HVP_MODES.join(', ')}.`);
    expect(refusal(edited((f) => (f.spec.steps = 0))).problem).toMatch(/spec\.steps/);
    expect(refusal(edited((f) => (f.spec.base = null))).problem).toMatch(/spec\.base is null/);
  });

  it('a non-finite or out-of-range measure names the cell and the field', () => {
    // JSON has no NaN, but 1e999 parses to Infinity.
    const inf = JSON.stringify(goodFile()).replace('"knnTop1":0.75', '"knnTop1":1e999');
    expect(refusal(inf).problem).toMatch(/cells\[1\] \("cropScaleMin=0\.2 seed=1 hvpMode=hard"\)\.knnTop1 \(or null\) is Infinity; it must be a number from 0 to 1/);
    expect(refusal(edited((f) => (f.cells[0].knnTop1 = 1.5))).problem).toMatch(/cells\[0\].*knnTop1.*is 1\.5/);
    expect(refusal(edited((f) => (f.cells[0].linearProbeTop1 = '0.3'))).problem).toMatch(/linearProbeTop1 \(or null\) is "0\.3"/);
    expect(refusal(edited((f) => (f.cells[0].wallMs = -1))).problem).toMatch(/wallMs is -1; it must be a number ≥ 0/);
    expect(refusal(edited((f) => delete f.cells[2].meanSelectedIou)).problem).toMatch(/cells\[2\].*meanSelectedIou \(or null\) is missing/);
    expect(refusal(edited((f) => (f.cells[0].step = 2.5))).problem).toMatch(/step is 2\.5/);
    expect(refusal(edited((f) => (f.cells[0].backend = 7))).problem).toMatch(/backend is 7; it must be a text/);
    expect(refusal(edited((f) => (f.cells[0] = 'x'))).problem).toMatch(/cells\[0\] is "x"; it must be an object/);
  });

  it('a cell off the grid, seeds or modes, or a repeated id, is refused', () => {
    expect(refusal(edited((f) => delete f.cells[0].settings.cropScaleMin)).problem).toMatch(/settings has no cropScaleMin, a key of the sweep's grid/);
    expect(refusal(edited((f) => (f.cells[0].settings.cropScaleMin = 0.3))).problem).toMatch(/settings\.cropScaleMin is 0\.3, not one of the grid's values \(0\.2, 0\.5\)/);
    expect(refusal(edited((f) => (f.cells[0].settings.seed = 9))).problem).toMatch(/settings\.seed is 9, not one of the sweep's seeds \(1, 2\)/);
    expect(refusal(edited((f) => (f.cells[0].settings.hvpMode = 'easy'))).problem).toMatch(/settings\.hvpMode is "easy"; it must be one of the sweep's modes \(off, hard\)/);
    expect(refusal(edited((f) => (f.cells[0].settings = null))).problem).toMatch(/settings is null/);
    expect(refusal(edited((f) => (f.cells[2].id = f.cells[0].id))).problem).toMatch(/cells\[2\] repeats the id .* of cells\[0\]/);
  });

  it('every refusal has a hint, and deep nesting does not throw', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const r = parseSweepResults(deep, 'deep.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.hint.length).toBeGreaterThan(10);
  });
});

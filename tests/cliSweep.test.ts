// `sweep` end to end in child processes on the wasm backend with the tiny config: a grid of one key ×
// one value × HVP off/on (two 3-step runs) writes the JSON and the CSV with both cells; rerunning the
// same command skips them (no training); a bad grid key or value, or another sweep on the same --out,
// is a usage error (exit 2) before any training; Ctrl-C abandons the current run, keeps the finished
// cells in a consistent file and exits 130.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, jsonLines, runCli, setArgs, startCli, type CliResult } from './helpers/cliProcess';
import { tinyConfig } from './helpers/tinyConfig';

const TINY = setArgs(tinyConfig());
let dir = '';
const at = (name: string) => join(dir, name);
const sweepArgs = (out: string, ...more: string[]) => ['sweep', ...TINY, '--grid', 'cropScaleMin=0.2', '--steps', '3', '--backend', 'wasm', '--out', out, '--json', ...more];
const expectExit = (r: CliResult, code: number) => expect(r.code, `exit ${r.code}\nstderr:\n${r.stderr}`).toBe(code);
const cellEvents = (r: CliResult) => jsonLines(r.stdout).filter((l) => l.type === 'cell');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvp-sweep-test-'));
  buildCli();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('CLI sweep', () => {
  let first: CliResult;
  beforeAll(async () => {
    first = await runCli(sweepArgs(at('s.json')));
  }, 60_000);

  it('runs every cell with HVP off and on and writes the JSON and the CSV', () => {
    expectExit(first, 0);
    const file = JSON.parse(readFileSync(at('s.json'), 'utf8')) as { format: string; numCells: number; cells: Record<string, unknown>[]; averagedOver: string };
    expect(file.format).toBe('hvp-playground-sweep');
    expect(file.numCells).toBe(2);
    expect(file.averagedOver).toMatch(/selection/);
    expect(file.cells.map((c) => c.settings)).toEqual([
      { cropScaleMin: 0.2, seed: 1, hvpMode: 'off' },
      { cropScaleMin: 0.2, seed: 1, hvpMode: 'hard' },
    ]);
    for (const c of file.cells) {
      expect(c).toMatchObject({ step: 3, backend: 'wasm', numLoggedSteps: 3 });
      expect(c.knnTop1 as number).toBeGreaterThanOrEqual(0);
      expect(c.knnTop1 as number).toBeLessThanOrEqual(1);
      expect(typeof c.linearProbeTop1).toBe('number');
      expect(c.meanSelectedIou as number).toBeGreaterThan(0);
      expect(c.wallMs as number).toBeGreaterThan(0);
    }
    expect(file.cells[0]!.meanLowestIouHitRate).toBeNull(); // HVP off: one pair, no selection
    expect(file.cells[1]!.meanLowestIouHitRate as number).toBeGreaterThanOrEqual(0);

    const csv = readFileSync(at('s.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('cropScaleMin,seed,hvpMode,step,knnTop1,linearProbeTop1,meanLowestIouHitRate,meanSelectedIou,numLoggedSteps,wallMs,backend,finishedAt');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['0.2,1,off,3', '0.2,1,hard,3']);

    expect(cellEvents(first).map((e) => e.state)).toEqual(['started', 'done', 'started', 'done']);
    expect(jsonLines(first.stdout).filter((l) => l.type === 'metrics').every((l) => typeof l.cell === 'string')).toBe(true);
    expect(jsonLines(first.stdout).at(-1)).toMatchObject({ type: 'result', state: 'done', numCells: 2, numDone: 2 });
  });

  it('a rerun of the same command skips the finished cells without training', async () => {
    const before = readFileSync(at('s.json'), 'utf8');
    const again = await runCli(sweepArgs(at('s.json')));
    expectExit(again, 0);
    expect(cellEvents(again).map((e) => e.state)).toEqual(['skipped', 'skipped']);
    expect(jsonLines(again.stdout).some((l) => l.type === 'metrics')).toBe(false);
    expect(again.stderr).not.toMatch(/Backend:/);
    expect(readFileSync(at('s.json'), 'utf8')).toBe(before);
  }, 30_000);

  it('refuses another sweep on the same --out, naming the difference', async () => {
    const other = await runCli(sweepArgs(at('s.json'), '--set', 'learningRate=0.1'));
    expectExit(other, 2);
    expect(other.stderr).toMatch(/holds another sweep.*spec\.base\.learningRate: the file has 0\.05, this command 0\.1/);
  }, 30_000);

  it('a bad grid key or value is a usage error before any training', async () => {
    const [badKey, badValue, ownKey] = await Promise.all([
      runCli(['sweep', ...TINY, '--grid', 'numViewz=2,4', '--out', at('bad.json')]),
      runCli(['sweep', ...TINY, '--grid', 'numViews=2,0', '--out', at('bad.json')]),
      runCli(['sweep', ...TINY, '--grid', 'hvpMode=off,hard', '--out', at('bad.json')]),
    ]);
    for (const r of [badKey, badValue, ownKey]) {
      expectExit(r, 2);
      expect(r.stderr).not.toMatch(/Backend:/);
    }
    expect(badKey.stderr).toMatch(/--grid numViewz=2,4: unknown setting "numViewz"/);
    expect(badValue.stderr).toMatch(/--grid numViews=0: .*out of range/);
    expect(ownKey.stderr).toMatch(/the sweep sets hvpMode itself/);
    expect(existsSync(at('bad.json'))).toBe(false);
  }, 30_000);

  it('Ctrl-C abandons the current run, keeps the finished cells and exits 130', async () => {
    let sent = false;
    // Two 3-step cells finish; the first 100-step cell is interrupted at its first logged step.
    const { done } = startCli(['sweep', ...TINY, '--grid', 'totalSteps=3,100', '--backend', 'wasm', '--out', at('stop.json'), '--json'], {
      onStdoutLine: (line, child) => {
        if (!sent && line.includes('"type":"metrics"') && line.includes('totalSteps=100')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    const r = await done;
    expectExit(r, 130);
    expect(r.stderr).toMatch(/Ctrl-C: abandoning the current run/);
    expect(cellEvents(r).map((e) => e.state)).toEqual(['started', 'done', 'started', 'done', 'started', 'abandoned']);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ type: 'result', state: 'stopped', numCells: 4, numDone: 2 });
    const file = JSON.parse(readFileSync(at('stop.json'), 'utf8')) as { cells: { id: string }[] };
    expect(file.cells.map((c) => c.id)).toEqual(['totalSteps=3 seed=1 hvpMode=off', 'totalSteps=3 seed=1 hvpMode=hard']);
    expect(readFileSync(at('stop.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
  }, 60_000);
});

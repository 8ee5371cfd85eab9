// `train --log-views` / `resume --log-views` in child processes (wasm, tiny config): every selection
// step of the run is logged (not only the logEvery steps), one row per image × pair with exactly one
// selected per image at the image's highest loss; the CSV documents every column and the JSON Lines
// file starts with its header; a bad extension or an existing file without --force is a usage error
// before any training.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEW_LOG_COLUMNS } from '../src/core/analysis/viewLogRow';
import { buildCli, jsonLines, runCli, setArgs, type CliResult } from './helpers/cliProcess';
import { tinyConfig } from './helpers/tinyConfig';

// 3 views → 3 pairs; selection on steps 0, 2, 4 (hvpEvery 2); metrics read only every 5 steps.
const TINY = setArgs(tinyConfig({ hvpMode: 'hard', numViews: 3, hvpEvery: 2, logEvery: 5 }));
const M = tinyConfig().batchSize;
let dir = '';
const at = (name: string) => join(dir, name);
const expectExit = (r: CliResult, code: number) => expect(r.code, `exit ${r.code}\nstderr:\n${r.stderr}`).toBe(code);

/** CSV rows as objects (comment lines skipped). */
function readCsv(path: string): { comments: string[]; header: string[]; rows: Record<string, string>[] } {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const comments = lines.filter((l) => l.startsWith('#'));
  const [head, ...body] = lines.filter((l) => !l.startsWith('#'));
  const header = head!.split(',');
  return { comments, header, rows: body.map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i]!, v]))) };
}

/** Checks one row group per (step, image): 3 pairs, one selected, at the highest loss. */
function expectSelections(rows: { step: number; image: number; loss: number; selected: number }[], steps: number[]): void {
  expect([...new Set(rows.map((r) => r.step))]).toEqual(steps);
  expect(rows.length).toBe(steps.length * M * 3);
  for (let g = 0; g < rows.length; g += 3) {
    const group = rows.slice(g, g + 3);
    expect(new Set(group.map((r) => `${r.step}/${r.image}`)).size).toBe(1);
    const sel = group.filter((r) => r.selected === 1);
    expect(sel.length).toBe(1);
    expect(sel[0]!.loss).toBe(Math.max(...group.map((r) => r.loss)));
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvp-viewlog-test-'));
  buildCli();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('CLI --log-views', () => {
  let train: CliResult;
  let resume: CliResult;
  beforeAll(async () => {
    train = await runCli(['train', ...TINY, '--steps', '4', '--out', at('run.safetensors'), '--log-views', at('views.csv'), '--backend', 'wasm', '--json', '--quiet']);
    resume = await runCli(['resume', at('run.safetensors'), '--steps', '6', '--log-views', at('views.jsonl'), '--backend', 'wasm', '--json', '--quiet']);
  }, 90_000);

  it('train writes a documented CSV of every selection step', () => {
    expectExit(train, 0);
    const { comments, header, rows } = readCsv(at('views.csv'));
    expect(header).toEqual(VIEW_LOG_COLUMNS.map(([n]) => n));
    for (const [name] of VIEW_LOG_COLUMNS) expect(comments.some((c) => c.startsWith(`# ${name}: `))).toBe(true);
    expectSelections(rows.map((r) => ({ step: Number(r.step), image: Number(r.image), loss: Number(r.loss), selected: Number(r.selected) })), [0, 2]);
    expect(jsonLines(train.stdout).find((l) => l.type === 'viewLog')).toMatchObject({ rows: 2 * M * 3, steps: 2, format: 'csv' });
    // Only steps 4 (the last) were read for metrics; the log read the others on its own.
    expect(jsonLines(train.stdout).filter((l) => l.type === 'metrics').map((l) => l.step)).toEqual([4]);
  });

  it('resume writes JSON Lines with a header line', () => {
    expectExit(resume, 0);
    const lines = readFileSync(at('views.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ format: 'hvp-playground-view-log', version: 1 });
    expect(Object.keys(lines[0]!.columns as object)).toEqual(VIEW_LOG_COLUMNS.map(([n]) => n));
    expectSelections(lines.slice(1) as { step: number; image: number; loss: number; selected: number }[], [4]);
  });

  it('refuses a bad extension and an existing file before training', async () => {
    const bad = await runCli(['train', ...TINY, '--steps', '1', '--out', at('x.safetensors'), '--log-views', at('views.txt'), '--backend', 'cpu']);
    expectExit(bad, 2);
    expect(bad.stderr).toMatch(/\.csv or a \.jsonl/);
    writeFileSync(at('kept.csv'), 'mine');
    const exists = await runCli(['train', ...TINY, '--steps', '1', '--out', at('y.safetensors'), '--log-views', at('kept.csv'), '--backend', 'cpu']);
    expectExit(exists, 2);
    expect(exists.stderr).toMatch(/exists already/);
    expect(readFileSync(at('kept.csv'), 'utf8')).toBe('mine');
  }, 30_000);
});

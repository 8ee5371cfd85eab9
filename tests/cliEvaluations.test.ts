// CLI evaluation records, in child processes on the tfjs CPU backend with a tiny config: `train`
// evaluates every knnEvery steps (kNN, online linear probe, collapse health) and prints / streams
// each one, the checkpoint's history carries them, `resume` continues them, and `eval` prints the
// recorded table (text) or returns it (JSON) before its fresh kNN result.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '../src/core/checkpoint/checkpointFile';
import { buildCli, jsonLines, runCli, setArgs, type CliResult } from './helpers/cliProcess';
import { tinyConfig } from './helpers/tinyConfig';

const TINY = setArgs(tinyConfig({ knnEvery: 2 }));
let dir = '';
const at = (name: string) => join(dir, name);
const expectOk = (r: CliResult) => expect(r.code, `exit ${r.code}\nstderr:\n${r.stderr}`).toBe(0);
const historyOf = (name: string) => decodeCheckpoint(readFileSync(at(name)), name).record.history;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'hvp-cli-eval-'));
  buildCli();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('CLI evaluation records', () => {
  let trained: CliResult;
  let resumed: CliResult;

  beforeAll(async () => {
    trained = await runCli(['train', ...TINY, '--steps', '4', '--out', at('run.safetensors'), '--backend', 'cpu', '--json']);
    expectOk(trained);
    resumed = await runCli(['resume', at('run.safetensors'), '--steps', '6', '--out', at('resumed.safetensors'), '--backend', 'cpu']);
    expectOk(resumed);
  });

  it('train evaluates every knnEvery steps, streams and prints each evaluation, and saves them', () => {
    const lines = jsonLines(trained.stdout);
    const evals = lines.filter((l) => l.type === 'evaluation');
    expect(evals.map((e) => e.step)).toEqual([2, 4]);
    expect(lines.filter((l) => l.type === 'knn').map((k) => k.step)).toEqual([2, 4]);
    for (const e of evals) {
      const probe = e.linearProbe as { top1: number; numTest: number };
      expect(probe.top1).toBeGreaterThanOrEqual(0);
      expect(probe.top1).toBeLessThanOrEqual(1);
      expect(probe.numTest).toBe(16);
      expect((e.health as { numSamples: number }).numSamples).toBe(16);
    }
    expect(trained.stderr).toMatch(/step 2: linear probe top-1 \d+\.\d\d %; rank \d+\.\d of \d+, std \d\.\d{3} \(1\/√d \d\.\d{3}\)/);
    expect(trained.stderr).toMatch(/step 4: linear probe top-1/);

    const h = historyOf('run.safetensors');
    expect(h.knn.map((k) => k.step)).toEqual([2, 4]);
    expect(h.evaluations!.map((e) => e.step)).toEqual([2, 4]);
    expect(h.evaluations!.map((e) => e.linearProbe!.top1)).toEqual(evals.map((e) => (e.linearProbe as { top1: number }).top1));
  });

  it('resume continues the records in the history', () => {
    const h = historyOf('resumed.safetensors');
    expect(h.evaluations!.map((e) => e.step)).toEqual([2, 4, 6]);
    expect(h.knn.map((k) => k.step)).toEqual([2, 4, 6]);
    expect(h.evaluations!.slice(0, 2)).toEqual(historyOf('run.safetensors').evaluations);
    expect(resumed.stderr).toMatch(/step 6: linear probe top-1/);
  });

  it('eval prints the recorded evaluations, then its own kNN result', async () => {
    const [text, json] = await Promise.all([
      runCli(['eval', at('resumed.safetensors'), '--backend', 'cpu', '--quiet']),
      runCli(['eval', at('resumed.safetensors'), '--backend', 'cpu', '--json', '--quiet']),
    ]);
    expectOk(text);
    expectOk(json);
    const h = historyOf('resumed.safetensors');
    const out = text.stdout.split('\n');
    expect(out[0]).toBe('Evaluations recorded during training:');
    expect(out[1]).toMatch(/^ {2}step\s+kNN top-1\s+linear probe\s+health$/);
    for (const [i, e] of h.evaluations!.entries()) {
      const knn = h.knn.find((k) => k.step === e.step)!;
      expect(out[2 + i]).toMatch(new RegExp(`^ {2}${e.step}\\s+${(100 * knn.top1).toFixed(2)} %\\s+${(100 * e.linearProbe!.top1).toFixed(2)} %\\s+rank ${e.health.effectiveRank.toFixed(1)} of ${e.health.maxRank}`));
    }
    expect(out[5]).toBe('Now:');
    expect(out[6]).toMatch(/^kNN top-1 \d+\.\d\d % at step 6 \(k = 3, bank 32, 16 held-out images, cpu\)$/);

    const [ev] = jsonLines(json.stdout);
    expect(ev).toMatchObject({ type: 'eval', step: 6 });
    const rows = ev!.history as Array<{ step: number; knnTop1: number; linearProbeTop1: number; health: { effectiveRank: number } }>;
    expect(rows.map((r) => r.step)).toEqual([2, 4, 6]);
    expect(rows.map((r) => r.linearProbeTop1)).toEqual(h.evaluations!.map((e) => e.linearProbe!.top1));
    expect(rows.map((r) => r.knnTop1)).toEqual(h.knn.map((k) => k.top1));
    // The last recorded kNN and a fresh evaluation of the same step agree.
    expect(ev!.top1).toBeCloseTo(rows[2]!.knnTop1, 6);
  });
});

// The twin run through the worker handler (real core trainers, tfjs CPU backend): both twins step
// alternately from the same seed, are evaluated at the same steps, match single runs of their
// configs, pause / resume / stop, refuse and are refused by the single run, leave a paused single
// run untouched, and turn a diverged loss into a non-fatal error.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { messagesOf, type Msg, nodeHandlerDeps, waitForType } from '../../tests/helpers/handlerHarness';
import { tinyConfig } from '../../tests/helpers/tinyConfig';
import type { RunConfig } from '../core/config/runConfig';
import type { Dataset } from '../core/data/types';
import { createTrainer, type Trainer } from '../core/train/trainer';
import { createHandler, type HandlerDeps } from './handler';
import type { FromWorker } from './protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A handler whose trainers log every queued step as "<hvpMode>:<step>" and every dispose. */
function setup(overrides: Partial<HandlerDeps> = {}, wrap: (t: Trainer) => Trainer = (t) => t) {
  const msgs: FromWorker[] = [];
  const stepLog: string[] = [];
  const disposed: string[] = [];
  const handle = createHandler({
    ...nodeHandlerDeps((m) => msgs.push(m)),
    makeTrainer: (c: RunConfig, d: Dataset, r) => {
      const t = createTrainer(c, d, { resumeFrom: r });
      const logged: Trainer = Object.create(t, {
        trainStep: { value: () => { stepLog.push(`${c.hvpMode}:${t.step}`); return t.trainStep(); } },
        dispose: { value: () => { disposed.push(c.hvpMode); t.dispose(); } },
      }) as Trainer;
      return wrap(logged);
    },
    ...overrides,
  });
  const until = <T extends FromWorker['type']>(type: T, pred: (m: Msg<T>) => boolean = () => true, timeoutMs = 60_000) =>
    waitForType(msgs, type, pred, { timeoutMs, pollMs: 10 });
  const of = <T extends FromWorker['type']>(type: T) => messagesOf(msgs, type);
  return { msgs, handle, until, of, stepLog, disposed };
}

/** First-step loss of a single run of `config`. */
async function singleFirstLoss(config: RunConfig): Promise<number> {
  const { handle, until } = setup();
  handle({ type: 'start', id: 1, config: { ...config, logEvery: 1 }, maxSteps: 1 });
  return (await until('metrics', (m) => m.metrics.step === 1)).metrics.loss;
}

describe('twin run', () => {
  it('steps the twins alternately, evaluates both at the same steps and matches single runs', async () => {
    const config = tinyConfig({ knnEvery: 2, hvpMode: 'hard', numViews: 3 });
    const { handle, until, of, stepLog, disposed } = setup();
    handle({ type: 'twinStart', id: 1, config, maxSteps: 4 });
    await until('twinState', (m) => m.state === 'done');
    expect(of('ack').map((a) => a.id)).toContain(1);
    expect(of('twinState').map((m) => m.state)).toEqual(['preparing', 'running', 'done']);
    expect(stepLog).toEqual(['off:0', 'hard:0', 'off:1', 'hard:1', 'off:2', 'hard:2', 'off:3', 'hard:3']);
    const rows = of('twinMetrics');
    expect(rows.map((m) => m.row.step)).toEqual([1, 2, 3, 4]);
    for (const { row } of rows) {
      for (const r of [row.off, row.on]) {
        expect(Number.isFinite(r.loss)).toBe(true);
        expect(r.stepMs).toBeGreaterThan(0);
      }
    }
    const last = rows.at(-1)!.timing;
    expect(last.numSteps).toBe(4);
    expect(last.totalMs.off).toBeCloseTo(rows.reduce((a, m) => a + m.row.off.stepMs, 0), 6);
    expect(last.totalMs.on).toBeCloseTo(rows.reduce((a, m) => a + m.row.on.stepMs, 0), 6);
    const evals = of('twinEval');
    expect(evals.map((m) => m.row.step)).toEqual([2, 4]);
    for (const { row } of evals) {
      for (const r of [row.off, row.on]) {
        expect(r.knnTop1).toBeGreaterThanOrEqual(0);
        expect(r.knnTop1).toBeLessThanOrEqual(1);
        expect(r.linearProbeTop1).toBeGreaterThanOrEqual(0);
        expect(r.linearProbeTop1).toBeLessThanOrEqual(1);
      }
    }
    expect(disposed.sort()).toEqual(['hard', 'off']);
    // Same seed: each twin's first step is that of a single run with its HVP mode.
    expect(rows[0]!.row.off.loss).toBe(await singleFirstLoss({ ...config, hvpMode: 'off' }));
    expect(rows[0]!.row.on.loss).toBe(await singleFirstLoss(config));
    expect(rows[0]!.row.off.loss).not.toBe(rows[0]!.row.on.loss);
  });

  it('turns HVP on as hard when the config says off, and posts metrics every logEvery steps', async () => {
    const { handle, until, of, stepLog } = setup();
    handle({ type: 'twinStart', id: 1, config: tinyConfig({ hvpMode: 'off', logEvery: 2 }), maxSteps: 3 });
    await until('twinState', (m) => m.state === 'done');
    expect(stepLog.filter((s) => s.startsWith('hard:'))).toHaveLength(3);
    expect(of('twinMetrics').map((m) => m.row.step)).toEqual([2, 3]);
    expect(of('twinEval')).toHaveLength(0); // knnEvery 0
  });

  it('pauses between step pairs, resumes, and stops (disposing both twins)', async () => {
    const { handle, until, of, msgs, disposed } = setup();
    handle({ type: 'twinStart', id: 1, config: tinyConfig(), maxSteps: 50 });
    await until('twinMetrics', (m) => m.row.step >= 1);
    handle({ type: 'twinPause', id: 2 });
    const paused = await until('twinState', (m) => m.state === 'paused');
    const count = of('twinMetrics').length;
    await new Promise((r) => setTimeout(r, 100));
    expect(of('twinMetrics')).toHaveLength(count);
    expect(of('twinMetrics').at(-1)!.row.step).toBe(paused.step);
    handle({ type: 'twinResume', id: 3 });
    await until('twinMetrics', (m) => m.row.step > paused.step);
    handle({ type: 'twinStop', id: 4 });
    const stopped = await until('twinState', (m) => m.state === 'stopped');
    expect(stopped.step).toBeLessThan(50);
    expect(stopped.targetStep).toBe(50);
    await until('ack', (m) => m.id === 4);
    expect(disposed.sort()).toEqual(['hard', 'off']);
    expect(msgs.some((m) => m.type === 'error')).toBe(false);
    handle({ type: 'twinResume', id: 5 });
    expect((await until('error', (m) => m.id === 5)).error.message).toMatch(/twin run is stopped/);
  });

  it('refuses a twin while the single run runs, and single-run start/resume while the twin runs', async () => {
    const { handle, until, of } = setup();
    handle({ type: 'start', id: 1, config: tinyConfig(), maxSteps: 200 });
    await until('metrics');
    handle({ type: 'twinStart', id: 2, config: tinyConfig(), maxSteps: 2 });
    const refused = await until('error', (m) => m.id === 2);
    expect(refused.isFatal).toBe(false);
    expect(refused.error.message).toMatch(/single run is running/);
    expect(refused.hint).toMatch(/Pause or stop the single run/);
    expect(of('twinState')).toHaveLength(0);

    // Paused single run: the twin runs beside it and leaves it exactly where it was.
    handle({ type: 'pause', id: 3 });
    const paused = await until('state', (m) => m.state === 'paused');
    const numMetrics = of('metrics').length;
    const numStates = of('state').length;
    handle({ type: 'twinStart', id: 4, config: tinyConfig(), maxSteps: 30 });
    await until('twinState', (m) => m.state === 'running');
    handle({ type: 'start', id: 5, config: tinyConfig(), maxSteps: 2 });
    handle({ type: 'resume', id: 6 });
    handle({ type: 'explainStep', id: 7 });
    for (const id of [5, 6, 7]) {
      const e = await until('error', (m) => m.id === id);
      expect(e.error.message).toMatch(/twin run is in progress/);
      expect(e.isFatal).toBe(false);
      expect(e.hint).toMatch(/Stop the twin run first/);
    }
    handle({ type: 'twinStop', id: 8 });
    await until('twinState', (m) => m.state === 'stopped');
    expect(of('metrics')).toHaveLength(numMetrics);
    expect(of('state')).toHaveLength(numStates); // the single run did not move

    // The single run resumes from where it paused and can still be exported.
    handle({ type: 'resume', id: 9 });
    await until('metrics', (m) => m.metrics.step === paused.step + 1);
    handle({ type: 'stop', id: 10 });
    await until('state', (m) => m.state === 'stopped');
    handle({ type: 'exportCheckpoint', id: 11 });
    expect((await until('exported', (m) => m.id === 11)).step).toBeGreaterThan(paused.step);
  });

  it('reports a diverged twin as a non-fatal error and a failed twin state', async () => {
    const { handle, until, disposed } = setup({}, (t) => {
      if (t.config.hvpMode !== 'hard') return t;
      return Object.create(t, {
        readStepMetrics: { value: async (...a: Parameters<Trainer['readStepMetrics']>) => ({ ...(await t.readStepMetrics(...a)), loss: a[0].step === 1 ? Number.NaN : 0 }) },
      }) as Trainer;
    });
    handle({ type: 'twinStart', id: 1, config: tinyConfig(), maxSteps: 5 });
    const failed = await until('twinState', (m) => m.state === 'failed');
    expect(failed.message).toMatch(/HVP-on twin's training loss became NaN at step 2/);
    const err = await until('error');
    expect(err.isFatal).toBe(false);
    expect(err.error.name).toBe('TwinNonFiniteLossError');
    expect(err.hint).toMatch(/Lower the learning rate/);
    expect(disposed.sort()).toEqual(['hard', 'off']);
  });

  it('refuses an invalid config with the field message', async () => {
    const { handle, until, of } = setup();
    handle({ type: 'twinStart', id: 1, config: { ...tinyConfig(), batchSize: 0 } });
    const e = await until('error', (m) => m.id === 1);
    expect(e.error.message).toMatch(/[Bb]atch/);
    expect(of('twinState')).toHaveLength(0);
  });
});

describe('twin run preparation', () => {
  it('fails with the dataset error\'s own hint and leaves nothing running', async () => {
    const { handle, until, of } = setup({
      makeDataset: () => { throw Object.assign(new Error('The stored dataset "cats" is gone.'), { hint: 'Import it again or choose another dataset.' }); },
    });
    handle({ type: 'twinStart', id: 1, config: tinyConfig(), maxSteps: 2 });
    const failed = await until('twinState', (m) => m.state === 'failed');
    expect(failed.message).toMatch(/"cats" is gone/);
    expect((await until('error')).hint).toBe('Import it again or choose another dataset.');
    expect(of('twinMetrics')).toHaveLength(0);
    handle({ type: 'twinStart', id: 2, config: tinyConfig(), maxSteps: 1 }); // not stuck: a new twin may start
    await until('ack', (m) => m.id === 2);
  });

  it('refuses to switch the backend under a kept single run', async () => {
    const { handle, until } = setup();
    handle({ type: 'start', id: 1, config: tinyConfig(), maxSteps: 1 });
    await until('done');
    handle({ type: 'twinStart', id: 2, config: { ...tinyConfig(), backend: 'cpu' }, maxSteps: 1 });
    const failed = await until('twinState', (m) => m.state === 'failed');
    expect(failed.message).toMatch(/would switch the backend to cpu under the kept single run/);
    expect((await until('error')).hint).toMatch(/Set the preferred backend back to webgpu/);
  });
});

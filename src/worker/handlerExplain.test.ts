// "Explain the next step" through the worker handler (real core trainer, tfjs CPU backend): refused
// with a clear error unless the run is paused; while paused it posts `explained` with the four
// stages, that step's metrics, and a paused state one step further; Resume then goes on.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Msg, nodeHandlerDeps, waitForType } from '../../tests/helpers/handlerHarness';
import { tinyConfig } from '../../tests/helpers/tinyConfig';
import { createHandler } from './handler';
import type { FromWorker } from './protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function setup() {
  const msgs: FromWorker[] = [];
  const handle = createHandler({ ...nodeHandlerDeps((m) => msgs.push(m)), yieldToEvents: () => new Promise((r) => setTimeout(r, 5)) });
  const until = <T extends FromWorker['type']>(type: T, pred: (m: Msg<T>) => boolean = () => true, timeoutMs = 60_000) =>
    waitForType(msgs, type, pred, { timeoutMs, pollMs: 10 });
  return { msgs, handle, until };
}

describe('explainStep request', () => {
  it('is refused without a run and while running, with a hint', async () => {
    const { handle, until } = setup();
    handle({ type: 'explainStep', id: 1 });
    expect((await until('error', (m) => m.id === 1)).hint).toMatch(/Start a run/);
    handle({ type: 'start', id: 2, config: tinyConfig({ logEvery: 5 }), maxSteps: 1000 });
    await until('state', (m) => m.state === 'running');
    handle({ type: 'explainStep', id: 3 });
    const err = await until('error', (m) => m.id === 3);
    expect(err.error.message).toMatch(/Only a paused run can explain its next step \(the run is running\)/);
    expect(err.hint).toMatch(/Pause the run first/);
    expect(err.isFatal).toBe(false);
    handle({ type: 'stop', id: 4 });
    await until('state', (m) => m.state === 'stopped');
  });

  it('while paused: posts the stages, the step metrics and the step + 1; resume goes on', async () => {
    const { msgs, handle, until } = setup();
    handle({ type: 'start', id: 1, config: tinyConfig({ logEvery: 5, numViews: 3 }), maxSteps: 1000 });
    await until('state', (m) => m.state === 'running');
    handle({ type: 'pause', id: 2 });
    const paused = await until('state', (m) => m.state === 'paused');
    const from = msgs.length;
    handle({ type: 'explainStep', id: 3 });
    const ex = await until('explained', (m) => m.id === 3);
    expect(ex.explanation.step).toBe(paused.step);
    expect(ex.explanation.images).toHaveLength(4);
    expect(ex.explanation.images[0]!.pairLosses).toHaveLength(3);
    const after = msgs.slice(from);
    const metrics = after.filter((m): m is Msg<'metrics'> => m.type === 'metrics');
    expect(metrics.map((m) => m.metrics.step)).toEqual([paused.step + 1]); // logged although logEvery is 5
    expect(metrics[0]!.metrics.loss).toBe(ex.explanation.trainingLoss);
    expect(after.some((m) => m.type === 'state' && m.state === 'paused' && m.step === paused.step + 1)).toBe(true);
    handle({ type: 'resume', id: 4 });
    await until('state', (m) => m.state === 'running' && m.step === paused.step + 1);
    handle({ type: 'stop', id: 5 });
    const stopped = await until('state', (m) => m.state === 'stopped');
    expect(stopped.step).toBeGreaterThanOrEqual(paused.step + 1);
  });
});

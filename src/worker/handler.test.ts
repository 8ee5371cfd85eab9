// Protocol tests: drive the worker handler directly with a fake `post`, the real core trainer and
// the tfjs CPU backend; no Worker involved.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeHandlerDeps, waitForMessage } from '../../tests/helpers/handlerHarness';
import { tinyConfig } from '../../tests/helpers/tinyConfig';
import { createTrainer } from '../core/train/trainer';
import { createHandler, type HandlerDeps } from './handler';
import { PROTOCOL_VERSION, type FromWorker } from './protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function setup(overrides: Partial<HandlerDeps> = {}) {
  const msgs: FromWorker[] = [];
  const waiters: Array<() => void> = [];
  const post = (m: FromWorker) => {
    msgs.push(m);
    waiters.splice(0).forEach((w) => w());
  };
  const handle = createHandler({
    ...nodeHandlerDeps(post),
    initBackend: async () => ({ name: 'cpu', adapter: 'JavaScript CPU', fallbackReason: 'WebGPU: not in Node' }),
    ...overrides,
  });
  const until = (pred: (m: FromWorker) => boolean, timeoutMs = 60_000) =>
    waitForMessage(msgs, pred, { timeoutMs, pollMs: 50, onWait: (wake) => waiters.push(wake) });
  return { msgs, handle, until };
}

describe('worker handler', () => {
  it('posts ready, then runs start → metrics → knn → probe → done', async () => {
    const { msgs, handle, until } = setup();
    expect(msgs[0]).toEqual({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
    handle({ type: 'start', id: 1, config: tinyConfig({ knnEvery: 2, probeEvery: 2 }), maxSteps: 4 });
    await until((m) => m.type === 'done');
    const types = msgs.map((m) => m.type);
    expect(types).toContain('ack');
    expect(msgs.find((m) => m.type === 'backend')).toMatchObject({ backend: { name: 'cpu', fallbackReason: 'WebGPU: not in Node' } });
    expect(msgs.filter((m) => m.type === 'metrics')).toHaveLength(4);
    expect(msgs.filter((m) => m.type === 'knn').length).toBeGreaterThanOrEqual(2);
    expect(msgs.filter((m) => m.type === 'probe').length).toBeGreaterThanOrEqual(2);
    const progress = msgs.filter((m) => m.type === 'progress');
    expect(progress.at(-1)).toMatchObject({ fraction: 1 });
    const states = msgs.flatMap((m) => (m.type === 'state' ? [m.state] : []));
    expect(states[0]).toBe('preparing');
    expect(states).toContain('running');
    expect(states.at(-1)).toBe('done');
  });

  it('refuses an invalid config with a clear error and does not start', async () => {
    const { msgs, handle } = setup();
    handle({ type: 'start', id: 7, config: tinyConfig({ numViews: 11 }) });
    await new Promise((r) => setTimeout(r, 50));
    const err = msgs.find((m) => m.type === 'error');
    expect(err).toMatchObject({ id: 7, isFatal: true });
    expect(err && err.type === 'error' && err.error.message).toMatch(/Views per image.*out of range 2–8/);
    expect(msgs.some((m) => m.type === 'state')).toBe(false);
  });

  it('pauses, stays paused, resumes and stops', async () => {
    const { msgs, handle, until } = setup();
    handle({ type: 'start', id: 1, config: tinyConfig() });
    await until((m) => m.type === 'metrics');
    handle({ type: 'pause', id: 2 });
    await until((m) => m.type === 'state' && m.state === 'paused');
    const count = msgs.filter((m) => m.type === 'metrics').length;
    await new Promise((r) => setTimeout(r, 300));
    expect(msgs.filter((m) => m.type === 'metrics').length).toBe(count);
    handle({ type: 'resume', id: 3 });
    await until((m) => m.type === 'metrics' && m.metrics.step >= count);
    handle({ type: 'stop', id: 4 });
    await until((m) => m.type === 'state' && m.state === 'stopped');
  });

  it('reports a failing backend with a hint and keeps serving messages', async () => {
    const { msgs, handle, until } = setup({ initBackend: async () => { throw new Error('no adapter'); } });
    handle({ type: 'start', id: 1, config: tinyConfig() });
    const err = await until((m) => m.type === 'error');
    expect(err).toMatchObject({ type: 'error', error: { message: 'no adapter' }, isFatal: true });
    expect(err.type === 'error' && err.hint.length).toBeGreaterThan(10);
    handle({ type: 'pause', id: 2 });
    expect(msgs.at(-1)).toMatchObject({ type: 'error', id: 2 });
  });

  it('reports a NaN loss as a fatal error with a learning-rate hint and stops stepping', async () => {
    const makeTrainer: HandlerDeps['makeTrainer'] = (c, d) => {
      const t = createTrainer(c, d);
      const read = t.readStepMetrics.bind(t);
      // Simulate a blow-up at the third step: the loop must notice it from the metrics read.
      t.readStepMetrics = async (p) => ({ ...(await read(p)), ...(p.step === 2 ? { loss: NaN } : {}) });
      return t;
    };
    const { msgs, handle, until } = setup({ makeTrainer });
    handle({ type: 'start', id: 1, config: tinyConfig(), maxSteps: 10 });
    const err = await until((m) => m.type === 'error');
    expect(err.type === 'error' && err.error.name).toBe('NonFiniteLossError');
    expect(err.type === 'error' && err.hint).toMatch(/learning rate/);
    await until((m) => m.type === 'state' && m.state === 'failed');
    expect(msgs.filter((m) => m.type === 'metrics')).toHaveLength(3);
  });
});

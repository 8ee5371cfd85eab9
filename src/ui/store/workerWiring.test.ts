/**
 * WorkerTrainerClient against a fake Worker, wired into the store the way main.tsx wires it:
 * typed requests with incrementing ids, fan-out to subscribers, and worker crashes turned into
 * FromWorker errors that mark the worker dead in the store.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import { WORKER_CRASH_ERROR_NAME, WORKER_MESSAGE_ERROR_NAME, WorkerTrainerClient } from '../../worker/client';
import type { FromWorker, ToWorker } from '../../worker/protocol';
import { createAppStore } from './appStore';
import { selectControls } from './selectors';

/** A Worker stand-in: records posted messages and lets the test dispatch worker events. */
class FakeWorker extends EventTarget {
  posted: ToWorker[] = [];
  isTerminated = false;
  postMessage(msg: ToWorker): void {
    this.posted.push(structuredClone(msg));
  }
  terminate(): void {
    this.isTerminated = true;
  }
  emit(msg: FromWorker): void {
    this.dispatchEvent(new MessageEvent('message', { data: msg }));
  }
  crash(message?: string): void {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), message ? { message, filename: 'trainer.worker.ts', lineno: 12 } : {}));
  }
}

function setup() {
  const fake = new FakeWorker();
  const client = new WorkerTrainerClient(() => fake as unknown as Worker);
  const store = createAppStore();
  const received: FromWorker[] = [];
  client.subscribe((m) => received.push(m));
  client.subscribe(store.getState().applyWorkerMessage);
  return { fake, client, store, received };
}

describe('WorkerTrainerClient', () => {
  it('sends typed requests with incrementing ids', () => {
    const { fake, client } = setup();
    expect(client.init('webgpu')).toBe(1);
    expect(client.start(DEFAULT_CONFIG, 20)).toBe(2);
    expect(client.pause()).toBe(3);
    expect(client.resume()).toBe(4);
    expect(client.evaluate()).toBe(5);
    expect(client.stop()).toBe(6);
    expect(client.start(DEFAULT_CONFIG)).toBe(7);
    expect(fake.posted.map((m) => [m.type, m.id])).toEqual([
      ['init', 1], ['start', 2], ['pause', 3], ['resume', 4], ['evaluate', 5], ['stop', 6], ['start', 7],
    ]);
    expect(fake.posted[0]).toEqual({ type: 'init', id: 1, backend: 'webgpu' });
    expect(fake.posted[1]).toEqual({ type: 'start', id: 2, config: DEFAULT_CONFIG, maxSteps: 20 });
    expect('maxSteps' in fake.posted[6]!).toBe(false);
  });

  it('delivers worker messages to every subscriber until it unsubscribes', () => {
    const { fake, client, store, received } = setup();
    const late: FromWorker[] = [];
    const off = client.subscribe((m) => late.push(m));
    fake.emit({ type: 'state', state: 'running', step: 4 });
    off();
    fake.emit({ type: 'done', step: 5 });
    expect(received.map((m) => m.type)).toEqual(['state', 'done']);
    expect(late.map((m) => m.type)).toEqual(['state']);
    expect(store.getState().runState).toBe('done');
  });

  it('turns a worker crash into a fatal error with a reload hint, and the store disables Start', async () => {
    const { fake, client, store, received } = setup();
    fake.emit({ type: 'state', state: 'running', step: 10 });
    fake.crash('Uncaught RangeError: Invalid array length');
    const err = received.at(-1)!;
    expect(err.type).toBe('error');
    if (err.type !== 'error') return;
    expect(err.isFatal).toBe(true);
    expect(err.error.name).toBe(WORKER_CRASH_ERROR_NAME);
    expect(err.error.message).toBe('The training worker crashed: Uncaught RangeError: Invalid array length (trainer.worker.ts:12)');
    expect(err.hint).toMatch(/reload the page to start again/);
    const s = store.getState();
    expect(s.runState).toBe('failed');
    expect(s.isWorkerAlive).toBe(false);
    expect(selectControls(s)).toMatchObject({ canStart: false, canStop: false });
    expect(client.isDead).toBe(true);

    // Requests after the crash answer with an error carrying their id instead of vanishing.
    const id = client.pause();
    store.getState().notePending(id, 'pause');
    await Promise.resolve();
    expect(store.getState().pending).toBeNull(); // the answer arrives after the id was recorded
    const after = received.at(-1)!;
    expect(after).toMatchObject({ type: 'error', id, isFatal: true });
    expect(fake.posted.some((m) => m.type === 'pause')).toBe(false);
  });

  it('reports a script that fails to load (an error event without a message)', async () => {
    const { fake, client } = setup();
    fake.crash();
    const late: FromWorker[] = [];
    client.subscribe((m) => late.push(m));
    await Promise.resolve();
    expect(late).toHaveLength(1);
    expect(late[0]!.type === 'error' && late[0]!.error.message).toMatch(/failed to load/);
  });

  it('reports a worker that cannot be created at all', async () => {
    const client = new WorkerTrainerClient(() => { throw new Error('Workers are disabled'); });
    const got: FromWorker[] = [];
    client.subscribe((m) => got.push(m));
    await Promise.resolve();
    expect(got[0]!.type === 'error' && got[0]!.error.message).toContain('Workers are disabled');
  });

  it('turns messageerror into a non-fatal error and ignores malformed messages with a warning', () => {
    const { fake, store, received } = setup();
    fake.dispatchEvent(new Event('messageerror'));
    fake.dispatchEvent(new MessageEvent('message', { data: 42 }));
    expect(received[0]).toMatchObject({ type: 'error', isFatal: false, error: { name: WORKER_MESSAGE_ERROR_NAME } });
    expect(received[1]).toMatchObject({ type: 'log', level: 'warn' });
    expect(store.getState().isWorkerAlive).toBe(true);
  });

  it('terminate kills the worker and silences everything', () => {
    const { fake, client, received } = setup();
    client.terminate();
    expect(fake.isTerminated).toBe(true);
    fake.emit({ type: 'done', step: 1 });
    client.stop();
    expect(received).toHaveLength(0);
    expect(fake.posted).toHaveLength(0);
  });
});

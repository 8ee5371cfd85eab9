// The control loop (controlLoop.ts) shared by the single and the twin run, with fake steps: the
// order of its states and hooks for done, pause/resume, stop while paused, a failed step, a thrown
// error, a start paused, and a step taken while paused. No trainer, no clock.
import { describe, expect, it } from 'vitest';
import { createControlLoop, type ControlLoopDeps, type StepOutcome } from './controlLoop';

/** A loop of `limit` steps that logs states and hooks; `onStep(n)` runs inside step n (1-based). */
function setUp(limit: number, over: Partial<ControlLoopDeps> = {}, onStep: (n: number) => StepOutcome | void = () => undefined) {
  const log: string[] = [];
  let step = 0;
  const loop = createControlLoop({
    step: async () => {
      step += 1;
      log.push(`step ${step}`);
      return onStep(step) ?? 'continue';
    },
    isDone: () => step >= limit,
    onState: (s, message) => log.push(message === undefined ? s : `${s}: ${message}`),
    yieldToEvents: () => new Promise((r) => setTimeout(r, 0)),
    onDone: () => log.push('onDone'),
    onError: (e) => log.push(`onError ${(e as Error).message}`),
    ...over,
  });
  return { loop, log };
}

describe('control loop', () => {
  it('prepares, announces running, steps to the limit and ends done', async () => {
    const { loop, log } = setUp(2, { prepare: async () => void log.push('prepare'), onStarted: async () => void log.push('onStarted') });
    await loop.run();
    expect(log).toEqual(['prepare', 'running', 'onStarted', 'step 1', 'step 2', 'done', 'onDone']);
    expect(loop.state).toBe('done');
  });

  it('pauses between steps, resumes (onWoken after running) and stops while paused', async () => {
    // Each step asks for a pause, so the loop pauses after every step.
    const s = setUp(5, { onWoken: () => s.log.push('onWoken') }, () => s.loop.pause());
    const { loop } = s;
    const running = loop.run();
    await until(() => loop.state === 'paused');
    loop.resume();
    await until(() => s.log.filter((l) => l === 'paused').length === 2);
    loop.stop();
    await running;
    expect(s.log).toEqual(['running', 'step 1', 'paused', 'running', 'onWoken', 'step 2', 'paused', 'onWoken', 'stopped']);
  });

  it('ends failed on a failed step or a thrown error, reporting the error first', async () => {
    const failed = setUp(3, {}, (n) => (n === 2 ? { failed: 'loss is not finite' } : undefined));
    await failed.loop.run();
    expect(failed.log).toEqual(['running', 'step 1', 'step 2', 'failed: loss is not finite']);
    const thrown = setUp(3, { prepare: () => Promise.reject(new Error('no dataset')) });
    await thrown.loop.run();
    expect(thrown.log).toEqual(['onError no dataset', 'failed: no dataset']);
  });

  it('starts paused (synchronously announced); a step while paused stays paused or ends the loop failed', async () => {
    const { loop, log } = setUp(5, { isStartPaused: true });
    const running = loop.run();
    expect(log).toEqual(['paused']);
    await loop.stepWhilePaused(async () => 'continue');
    expect(loop.state).toBe('paused');
    await loop.stepWhilePaused(async () => ({ failed: 'loss is not finite' }));
    await running;
    expect(log).toEqual(['paused', 'paused', 'failed: loss is not finite']);
  });
});

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 0));
}

// "Explain the next step" (tfjs CPU backend): an explained step IS the next training step — a run with
// one explained step has the same losses, generator states and weights as one without — it reports the
// four stages consistently, and the loop refuses it unless paused.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { expectSameValues, stepLosses } from '../../../tests/helpers/trainerSteps';
import { readExplanation } from './explainStep';
import { pairList } from '../hvp/pairs';
import { createRunLoop, ExplainRefusedError, type RunEvent } from '../run/runLoop';
import { createTrainer } from '../train/trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('explained step', () => {
  it.each(['hard', 'random', 'off'] as const)('equals a normal step: same losses after it, same weights and streams (hvpMode %s)', async (hvpMode) => {
    const c = tinyConfig({ hvpMode, numViews: 3, numTrainImages: 12, batchSize: 4, momentum: 0.9 });
    const data = builtinDatasetFor(c);
    const plain = createTrainer(c, data);
    const plainLosses = await stepLosses(plain, 5);
    const plainEnd = await plain.snapshot();
    plain.dispose();

    const explained = createTrainer(c, data);
    const before = await stepLosses(explained, 2);
    const numTensors = tf.memory().numTensors;
    const ex = explained.trainStepExplained(2);
    expect(explained.step).toBe(3);
    const explanation = await readExplanation(explained, ex);
    const m = await explained.readStepMetrics(ex.pending);
    expect(tf.memory().numTensors).toBe(numTensors); // nothing of the explanation is left on the device
    const after = await stepLosses(explained, 2);
    const end = await explained.snapshot();
    explained.dispose();

    expect([...before, m.loss, ...after]).toEqual(plainLosses);
    expect(explanation.trainingLoss).toBe(m.loss);
    expect(end.progress).toEqual(plainEnd.progress);
    expectSameValues(end.model, plainEnd.model);
    expectSameValues(end.optimizer, plainEnd.optimizer);
  });

  it('reports the four stages of a hard-selection step consistently', async () => {
    const c = tinyConfig({ hvpMode: 'hard', numViews: 4, batchSize: 4 });
    const t = createTrainer(c, builtinDatasetFor(c));
    const ex = t.trainStepExplained(3);
    const e = await readExplanation(t, ex);
    t.releaseStep(ex.pending);
    t.dispose();
    expect(e.step).toBe(0);
    expect(e.isSelectionStep).toBe(true);
    expect(e.numViews).toBe(4);
    expect(e.images).toHaveLength(3);
    for (const img of e.images) {
      expect(img.params).toHaveLength(4);
      expect(img.views).toHaveLength(4 * c.imageSize * c.imageSize * 3);
      expect(img.pairLosses).toHaveLength(6);
      expect(img.pairIous).toHaveLength(6);
      // Hard: the chosen pair has the highest selection loss (ties to the earlier pair).
      const best = img.pairLosses.indexOf(Math.max(...img.pairLosses));
      expect(img.selectedPair).toEqual(pairList(4)[best]);
      expect(Number.isFinite(img.lossBefore) && Number.isFinite(img.lossAfter)).toBe(true);
      expect(img.lossAfter).not.toBe(img.lossBefore); // the update changed the model
    }
    expect(Number.isFinite(e.meanLossBefore) && Number.isFinite(e.meanLossAfter)).toBe(true);
  });

  it('runs in the loop only while paused, advances it by one, and leaves the run identical', async () => {
    const c = tinyConfig({ hvpMode: 'hard', numViews: 3, batchSize: 4, probeEvery: 2 });
    const data = builtinDatasetFor(c);
    const runTo = async (explainAt: number | null) => {
      const events: RunEvent[] = [];
      let onPaused: (() => void) | null = null;
      const trainer = createTrainer(c, data);
      const loop = createRunLoop({
        trainer,
        maxSteps: 4,
        isStartPaused: explainAt !== null,
        yieldToEvents: () => new Promise((r) => setTimeout(r, 0)),
        emit: (e) => {
          events.push(e);
          if (e.type === 'state' && e.state === 'paused') onPaused?.();
        },
      });
      if (explainAt !== null) {
        await expect(loop.explainStep(2)).rejects.toThrow(ExplainRefusedError); // not paused yet
        const paused = new Promise<void>((r) => (onPaused = r));
        const running = loop.run();
        await paused;
        onPaused = null;
        const e = await loop.explainStep(2);
        expect(e.step).toBe(0);
        expect(trainer.step).toBe(1);
        const last = events.at(-1)!;
        expect(last).toEqual({ type: 'state', state: 'paused', step: 1, message: undefined });
        loop.resume();
        await running;
      } else await loop.run();
      await expect(loop.explainStep(2)).rejects.toThrow(/run is done/);
      trainer.dispose();
      const metrics = events.flatMap((e) => (e.type === 'metrics' ? [[e.metrics.step, e.metrics.loss]] : []));
      const probes = events.flatMap((e) => (e.type === 'probe' ? [e.probe.images.map((i) => i.pairLosses)] : []));
      return { metrics, probes };
    };
    const plain = await runTo(null);
    const explained = await runTo(0);
    expect(explained.metrics).toEqual(plain.metrics);
    expect(explained.metrics.map(([s]) => s)).toEqual([1, 2, 3, 4]);
    // Paused start sends a side probe instead of step 0's; the scheduled probes after it are the same.
    expect(explained.probes.slice(1)).toEqual(plain.probes.slice(1));
  });
});

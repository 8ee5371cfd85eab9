// Trainer tests on the tfjs CPU backend with a tiny config: loss goes down, no tensor leak,
// determinism by seed, every selection mode and hvpEvery.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import type { RunConfig } from '../config/runConfig';
import type { StepReading } from './metrics';
import { createTrainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function run(c: RunConfig, steps: number): Promise<StepReading[]> {
  const t = createTrainer(c, builtinDatasetFor(c));
  const out: StepReading[] = [];
  for (let i = 0; i < steps; i++) out.push(await t.readStepMetrics(t.trainStep()));
  t.dispose();
  return out;
}

describe('trainer', () => {
  it('lowers the SimSiam loss over a few steps of a tiny run', async () => {
    const c = tinyConfig({ learningRate: 0.1, hvpMode: 'hard', numTrainImages: 16, batchSize: 8, backboneWidth: 4 });
    const m = await run(c, 30);
    const first = m.slice(0, 5).reduce((s, x) => s + x.loss, 0) / 5;
    const last = m.slice(-5).reduce((s, x) => s + x.loss, 0) / 5;
    expect(last).toBeLessThan(first - 0.05);
    for (const x of m) expect(x.loss).toBeGreaterThanOrEqual(-1.0001);
  });

  it('keeps the number of live tensors constant between step 5 and step 50', async () => {
    const c = tinyConfig({ hvpMode: 'hard', numViews: 3 });
    const t = createTrainer(c, builtinDatasetFor(c));
    let at5 = 0;
    for (let i = 1; i <= 50; i++) {
      const p = t.trainStep();
      if (i % 2 === 0) await t.readStepMetrics(p);
      else t.releaseStep(p);
      if (i === 5) at5 = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(at5);
    t.dispose();
  });

  it('same seed and config give the same losses and selections; another seed differs', async () => {
    const c = tinyConfig({ hvpMode: 'hard' });
    const a = await run(c, 4);
    const b = await run(c, 4);
    const d = await run({ ...c, seed: 2 }, 4);
    expect(b).toEqual(a); // readings carry no timing
    expect(d.map((x) => x.loss)).not.toEqual(a.map((x) => x.loss));
  });

  it('hard selects each image\'s highest-loss pair and easy its lowest, from the same selection forward', async () => {
    for (const mode of ['hard', 'easy'] as const) {
      const c = tinyConfig({ numViews: 4, batchSize: 8, numTrainImages: 64, hvpMode: mode });
      const t = createTrainer(c, builtinDatasetFor(c));
      for (let s = 0; s < 3; s++) {
        const p = t.trainStep();
        const losses = await p.tensors.scores!.array(); // [M, P]
        const sel = Array.from(await p.tensors.selected!.data());
        losses.forEach((row, m) => {
          const target = mode === 'hard' ? Math.max(...row) : Math.min(...row);
          expect(row[sel[m]!]).toBe(target);
          expect(sel[m]).toBe(row.indexOf(target)); // ties: the earlier pair
        });
        // The logged chosen-pair loss and mean come from this same pass: hard ≥ mean, easy ≤ mean.
        const chosen = losses.reduce((a, row, m) => a + row[sel[m]!]!, 0) / losses.length;
        const mean = losses.flat().reduce((a, x) => a + x, 0) / losses.flat().length;
        const logged = await t.readStepMetrics(p);
        expect(logged.selectedPairLoss!).toBeCloseTo(chosen, 5);
        expect(logged.meanPairLoss!).toBeCloseTo(mean, 5);
        if (mode === 'hard') expect(logged.selectedPairLoss!).toBeGreaterThanOrEqual(logged.meanPairLoss! - 1e-6);
        else expect(logged.selectedPairLoss!).toBeLessThanOrEqual(logged.meanPairLoss! + 1e-6);
      }
      t.dispose();
    }
  });

  it('modes off and random run without a selection forward; hvpEvery alternates', async () => {
    const off = await run(tinyConfig({ hvpMode: 'off' }), 2);
    expect(off.every((x) => !x.isSelectionStep && x.meanPairLoss === null && x.selectedPairLoss === null)).toBe(true);
    const rnd = await run(tinyConfig({ hvpMode: 'random' }), 2);
    expect(rnd.every((x) => !x.isSelectionStep)).toBe(true);
    const every2 = await run(tinyConfig({ hvpMode: 'hard', hvpEvery: 2 }), 4);
    expect(every2.map((x) => x.isSelectionStep)).toEqual([true, false, true, false]);
  });
});

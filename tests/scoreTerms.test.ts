// Selection scores per loss term: a DINO step record carries scoreTerms = 2·(2 + l) − 2 (the terms
// its combination score sums), the other methods 1; a loaded checkpoint whose records predate the
// field gets it from its config, and the loss chart's rows divide by it.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from './helpers/builtinDatasetFor';
import { tinyConfig } from './helpers/tinyConfig';
import { toLossRows } from '../src/ui/store/selectors';
import type { StepMetrics } from '../src/core/train/metrics';
import { createTrainer } from '../src/core/train/trainer';
import { checkHistory } from '../src/core/checkpoint/recordHistory';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('scoreTerms', () => {
  it('DINO records the terms its combination scores sum; SimSiam 1', async () => {
    const dino = tinyConfig({ method: 'dino', imageSize: 16, localSize: 8, numLocalViews: 2, numViews: 4, hvpMode: 'hard', dinoOutDim: 16, dinoHiddenDim: 8, dinoBottleneckDim: 8, freezeLastLayerEpochs: 0 });
    const simsiam = tinyConfig({ hvpMode: 'hard' });
    for (const [c, terms] of [[dino, 6], [simsiam, 1]] as const) {
      const t = createTrainer(c, builtinDatasetFor(c));
      const m = await t.readStepMetrics(t.trainStep());
      t.dispose();
      expect(m.scoreTerms).toBe(terms);
    }
  });

  it("a checkpoint's older records get the run's scoreTerms; records without a selection score stay as they were", () => {
    const old = { step: 1, loss: 2, meanPairLoss: 12, selectedPairLoss: 18 };
    const off = { step: 2, loss: 2, meanPairLoss: null };
    const checked = checkHistory({ metrics: [old, off], knn: [] }, 6)!;
    expect(checked.history.metrics[0]).toEqual({ ...old, scoreTerms: 6 });
    expect(checked.history.metrics[1]).toEqual(off);
    expect(checkHistory({ metrics: [{ ...old, scoreTerms: 'six' }], knn: [] })!.history.metrics).toEqual([]);
  });

  it('loss rows put the selection scores per term', () => {
    const m = { step: 1, loss: 2, meanPairLoss: 12, selectedPairLoss: 18, scoreTerms: 6 } as StepMetrics;
    expect(toLossRows([m])).toEqual([{ step: 1, loss: 2, meanPairLoss: 2, selectedPairLoss: 3 }]);
    expect(toLossRows([{ ...m, scoreTerms: undefined }])[0]!.meanPairLoss).toBe(12);
  });
});

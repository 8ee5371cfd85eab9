// RunHistory's evaluation records: optional (older histories have none), kept up to a step, and
// validated when they come from an untrusted checkpoint (malformed records dropped with a note).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint/checkpointFile';
import { fingerprintDataset } from '../data/fingerprint';
import { createRng } from '../random';
import { APP_VERSION } from '../version';
import type { EvaluationRecord } from '../eval/evaluationMetrics';
import { emptyHistory, evaluationsOf, historyUpTo, PAIR_STATS_KEPT, pushEvaluation, pushMetrics, validEvaluations, type RunHistory } from './runHistory';
import type { StepMetrics } from '../train/metrics';
import { createTrainer } from '../train/trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const record = (step: number): EvaluationRecord => ({
  step,
  linearProbe: { top1: 0.4, trainTop1: 0.8, epochs: 40, numTrain: 32, numTest: 16 },
  health: { meanStd: 0.2, uniformStd: 0.25, effectiveRank: 5, maxRank: 16, dim: 16, numSamples: 16, collapse: null },
});

describe('evaluation records in the run history', () => {
  it('an older history without the field reads as empty and takes new records', () => {
    const old: RunHistory = { metrics: [], knn: [] };
    expect(evaluationsOf(old)).toEqual([]);
    expect(historyUpTo(old, 10).evaluations).toEqual([]);
    pushEvaluation(old, record(2));
    pushEvaluation(old, record(4));
    expect(historyUpTo(old, 3).evaluations!.map((e) => e.step)).toEqual([2]);
    expect(emptyHistory().evaluations).toEqual([]);
  });

  it('keeps well-formed records and counts the malformed ones', () => {
    expect(validEvaluations(undefined)).toEqual({ records: [], numDropped: 0 });
    expect(validEvaluations('x')).toEqual({ records: [], numDropped: 1 });
    const unlabelled = { ...record(6), linearProbe: null };
    const r = validEvaluations([record(2), { step: 3 }, { ...record(4), health: { meanStd: 'a' } }, unlabelled]);
    expect(r.records.map((e) => e.step)).toEqual([2, 6]);
    expect(r.numDropped).toBe(2);
  });

  it('a checkpoint with malformed records loads, dropping them with a note', async () => {
    const config = tinyConfig();
    const data = builtinDatasetFor(config);
    const t = createTrainer(config, data);
    const history = { metrics: [], knn: [], evaluations: [record(2), { step: 'bad' }] } as unknown as RunHistory;
    const bytes = encodeCheckpoint({ appVersion: APP_VERSION, createdAt: new Date(0).toISOString(), config, probeRng: createRng(5).getState(), dataset: fingerprintDataset(data), history, backend: 'cpu' }, await t.snapshot());
    t.dispose();
    const loaded = decodeCheckpoint(bytes, 'x.safetensors');
    expect(loaded.record.history.evaluations!.map((e) => e.step)).toEqual([2]);
    expect(loaded.notes.join(' ')).toMatch(/1 malformed evaluation record/);
  });
});

describe('step records in the run history', () => {
  it('keeps pair-property histograms only on the newest records', () => {
    const h = emptyHistory();
    const stats = { numPairs: 1 } as unknown as NonNullable<StepMetrics['pairStats']>;
    for (let step = 1; step <= PAIR_STATS_KEPT + 10; step++) pushMetrics(h, { step, loss: 0, pairStats: stats } as unknown as StepMetrics);
    expect(h.metrics.filter((m) => m.pairStats).map((m) => m.step)).toEqual(Array.from({ length: PAIR_STATS_KEPT }, (_, i) => 11 + i));
    expect(JSON.stringify(h.metrics[0])).not.toContain('pairStats');
  });
});

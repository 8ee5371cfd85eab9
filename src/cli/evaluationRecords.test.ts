// Evaluation records of a run's history: merged by step (kNN-only records of older checkpoints
// included), the aligned table of `eval` and the `train` line, with collapse flagged.
import { describe, expect, it } from 'vitest';
import type { HealthMetrics } from '../core/eval/evaluationMetrics';
import { evaluationLine, evaluationRows, evaluationTable } from './evaluationRecords';

const health = (over: Partial<HealthMetrics> = {}): HealthMetrics => ({ meanStd: 0.2, uniformStd: 0.25, effectiveRank: 5.25, maxRank: 16, dim: 16, numSamples: 16, collapse: null, ...over });

describe('evaluation records', () => {
  it('merges kNN and evaluation records by step', () => {
    const rows = evaluationRows({
      metrics: [],
      knn: [{ step: 4, top1: 0.5, numBank: 32, numQueries: 16 }, { step: 2, top1: 0.25, numBank: 32, numQueries: 16 }],
      evaluations: [{ step: 4, linearProbe: { top1: 0.75, trainTop1: 1, epochs: 40, numTrain: 32, numTest: 16 }, health: health() }],
    });
    expect(rows).toEqual([
      { step: 2, knnTop1: 0.25, linearProbeTop1: null, health: null },
      { step: 4, knnTop1: 0.5, linearProbeTop1: 0.75, health: health() },
    ]);
    expect(evaluationTable(rows)).toEqual([
      'step  kNN top-1  linear probe  health',
      '2     25.00 %    —             —',
      '4     50.00 %    75.00 %       rank 5.3 of 16, std 0.200 (1/√d 0.250)',
    ]);
  });

  it('reads an older history without evaluations, and says when there are none', () => {
    expect(evaluationRows({ metrics: [], knn: [] })).toEqual([]);
    expect(evaluationTable([])).toEqual([expect.stringMatching(/No evaluations recorded/)]);
  });

  it('flags collapse and unlabelled sets in the train line', () => {
    expect(evaluationLine({ step: 6, linearProbe: null, health: health({ collapse: 'std-and-rank', effectiveRank: 1.04 }) }))
      .toBe('step 6: linear probe top-1 not measured (no usable labels); rank 1.0 of 16, std 0.200 (1/√d 0.250), COLLAPSED (std and rank)');
  });
});

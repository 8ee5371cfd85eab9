// Evaluation slice and selectors: records, PCA map and thumbnails from `evaluation` messages, the
// offline probe request → result / error, loaded checkpoints with and without records, chart rows.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import * as coreHealth from '../../core/eval/health';
import type { EvaluationEvent, HealthMetrics } from '../../core/eval/evaluationMetrics';
import { WORKER_CRASH_ERROR_NAME } from '../../worker/client';
import { createAppStore } from './appStore';
import { collapseText, layoutPcaPoints, MIN_EFFECTIVE_RANK, selectLatestProbe, STD_COLLAPSE_RATIO, toHealthRows, toProbeRows } from './evaluationSelectors';

const health = (over: Partial<HealthMetrics> = {}): HealthMetrics => ({
  meanStd: 0.3, uniformStd: 0.25, effectiveRank: 6, maxRank: 16, dim: 16, numSamples: 16, collapse: null, ...over,
});

function evaluation(step: number, withThumbs = false): EvaluationEvent {
  return {
    step,
    linearProbe: { top1: 0.5 + step / 100, trainTop1: 0.9, epochs: 40, numTrain: 32, numTest: 16 },
    health: health(),
    pca: { coords: [0, 0, 1, 1, -1, 2], labels: [0, 1, 1], explained: [0.6, 0.3] },
    ...(withThumbs ? { thumbnails: { size: 2, count: 1, pixels: new Uint8Array(12) } } : {}),
  };
}

describe('evaluation slice', () => {
  it('keeps records, the newest map and the thumbnails sent once', () => {
    const store = createAppStore();
    store.getState().applyWorkerMessage({ type: 'evaluation', evaluation: evaluation(2, true) });
    store.getState().applyWorkerMessage({ type: 'evaluation', evaluation: evaluation(4) });
    const s = store.getState();
    expect(s.evaluations.points.map((e) => e.step)).toEqual([2, 4]);
    expect(s.evaluations.points[0]).not.toHaveProperty('pca');
    expect(s.pcaMap!.step).toBe(4);
    expect(s.thumbnails!.count).toBe(1);
    store.getState().beginRun(DEFAULT_CONFIG, null);
    expect(store.getState().evaluations.points).toEqual([]);
    expect(store.getState().thumbnails).toBeNull();
  });

  it('tracks the offline probe request to its result, or to its error', () => {
    const store = createAppStore();
    store.getState().noteOfflineProbeRequest(7);
    store.getState().applyWorkerMessage({ type: 'offlineProbe', id: 6, result: { ...evaluation(1).linearProbe!, step: 1, elapsedMs: 5 } });
    expect(store.getState().offlineProbe.requestId).toBe(7); // another request's answer is ignored
    store.getState().applyWorkerMessage({ type: 'offlineProbe', id: 7, result: { ...evaluation(1).linearProbe!, step: 3, elapsedMs: 5 } });
    expect(store.getState().offlineProbe).toMatchObject({ requestId: null, result: { step: 3 }, failure: null });
    store.getState().noteOfflineProbeRequest(8);
    store.getState().applyWorkerMessage({ type: 'error', id: 8, error: { name: 'Error', message: 'no labels' }, isFatal: false, hint: 'h' });
    expect(store.getState().offlineProbe).toMatchObject({ requestId: null, failure: 'no labels', result: { step: 3 } });
    store.getState().noteOfflineProbeRequest(9);
    store.getState().applyWorkerMessage({ type: 'error', error: { name: WORKER_CRASH_ERROR_NAME, message: 'gone' }, isFatal: true, hint: 'h' });
    expect(store.getState().offlineProbe.requestId).toBeNull();
  });

  it('a loaded checkpoint brings its records; an older one without them loads with none', () => {
    const store = createAppStore();
    const base = { type: 'loaded' as const, id: 1, config: DEFAULT_CONFIG, step: 4, notes: [], sourceName: 'x' };
    store.getState().applyWorkerMessage({ ...base, history: { metrics: [], knn: [], evaluations: [evaluation(2), evaluation(4)].map(({ pca: _p, ...r }) => r) } });
    expect(store.getState().evaluations.points.map((e) => e.step)).toEqual([2, 4]);
    store.getState().applyWorkerMessage({ ...base, history: { metrics: [], knn: [] } });
    expect(store.getState().evaluations.points).toEqual([]);
    expect(store.getState().pcaMap).toBeNull();
  });
});

describe('evaluation selectors', () => {
  it('merges probe and kNN rows by step', () => {
    const rows = toProbeRows([evaluation(2), { ...evaluation(4), linearProbe: null }], [{ step: 2, top1: 0.25, numBank: 1, numQueries: 1 }, { step: 4, top1: 0.5, numBank: 1, numQueries: 1 }]);
    expect(rows).toEqual([{ step: 2, probe: 52, knn: 25 }, { step: 4, probe: null, knn: 50 }]);
    expect(selectLatestProbe([evaluation(2), { ...evaluation(4), linearProbe: null }])!.step).toBe(2);
    expect(toHealthRows([evaluation(2)])[0]!.stdRatio).toBeCloseTo(1.2, 10);
  });

  it('uses the same collapse thresholds as the worker and says what collapsed', () => {
    expect(STD_COLLAPSE_RATIO).toBe(coreHealth.STD_COLLAPSE_RATIO);
    expect(MIN_EFFECTIVE_RANK).toBe(coreHealth.MIN_EFFECTIVE_RANK);
    expect(collapseText(health())).toBeNull();
    expect(collapseText(health({ collapse: 'rank', effectiveRank: 1.3 }))).toMatch(/effective rank is 1.30, below 2/);
    expect(collapseText(health({ collapse: 'std', meanStd: 0.01 }))).toMatch(/0.04·\(1\/√d\)/);
  });

  it('lays the map out inside the box, y up, aspect kept', () => {
    const pts = layoutPcaPoints({ coords: [0, 0, 2, 0, 0, 1], labels: [0, 1, -1], explained: [1, 0] }, 100, 100, 10);
    for (const p of pts) {
      expect(p.x).toBeGreaterThanOrEqual(10);
      expect(p.x).toBeLessThanOrEqual(90);
      expect(p.y).toBeGreaterThanOrEqual(10);
      expect(p.y).toBeLessThanOrEqual(90);
    }
    expect(pts[1]!.x - pts[0]!.x).toBeCloseTo(80, 6);
    expect(pts[0]!.y - pts[2]!.y).toBeCloseTo(40, 6); // y up, same scale as x
    expect(layoutPcaPoints({ coords: [], labels: [], explained: [0, 0] }, 100, 100, 10)).toEqual([]);
  });
});

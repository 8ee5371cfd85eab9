/**
 * History capping and the chart selectors built on it: long runs stay bounded, keep their start,
 * stay evenly spaced and end at the newest step; derived series (running hit rate, chance) are right.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import type { StepMetrics } from '../../core/train/metrics';
import { createAppStore } from './appStore';
import { appendCapped, emptyHistory } from './history';
import {
  chanceOfLowestIou, knnScheduleText, lastRunningHitRate, selectPlottedSteps, selectStopStep, toIouRows, toKnnRows,
} from './selectors';

function metrics(step: number, over: Partial<StepMetrics> = {}): StepMetrics {
  return {
    step, loss: -step / 10000, meanPairLoss: -0.5, selectedIou: 0.1, meanIou: 0.3, lowestIouHitRate: 0,
    isSelectionStep: true, learningRate: 0.06, imagesPerSec: 1000, msPerStep: 64, ...over,
  };
}

describe('appendCapped', () => {
  it('keeps everything below the cap', () => {
    let h = emptyHistory<number>();
    for (let i = 0; i < 10; i++) h = appendCapped(h, i, 10);
    expect(h.points).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.stride).toBe(1);
  });

  it('decimates instead of dropping the start, and keeps points evenly spaced', () => {
    let h = emptyHistory<number>();
    for (let i = 0; i < 1000; i++) h = appendCapped(h, i, 10);
    expect(h.points.length).toBeLessThanOrEqual(10);
    expect(h.points.length).toBeGreaterThanOrEqual(5);
    expect(h.points[0]).toBe(0);
    expect(h.numSeen).toBe(1000);
    const gaps = new Set(h.points.slice(1).map((p, i) => p - h.points[i]!));
    expect([...gaps]).toEqual([h.stride]);
    expect(h.points.at(-1)).toBeGreaterThan(1000 - 2 * h.stride);
  });

  it('never mutates the previous history', () => {
    const a = appendCapped(emptyHistory<number>(), 1, 2);
    const b = appendCapped(a, 2, 2);
    const c = appendCapped(b, 3, 2);
    expect(a.points).toEqual([1]);
    expect(b.points).toEqual([1, 2]);
    expect(c.points).toEqual([1, 3]);
    expect(c.stride).toBe(2);
  });
});

describe('store histories', () => {
  it('caps the step history of a long run and still plots up to the newest step', () => {
    const store = createAppStore({ historyCap: 100 });
    for (let step = 1; step <= 5000; step++) store.getState().applyWorkerMessage({ type: 'metrics', metrics: metrics(step) });
    const s = store.getState();
    expect(s.steps.points.length).toBeLessThanOrEqual(100);
    expect(s.steps.points[0]!.step).toBe(1);
    expect(s.latestMetrics!.step).toBe(5000);
    const plotted = selectPlottedSteps(s.steps, s.latestMetrics);
    expect(plotted.at(-1)!.step).toBe(5000);
    expect(plotted.length).toBeLessThanOrEqual(101);
  });

  it('caps the kNN history the same way', () => {
    const store = createAppStore({ historyCap: 8 });
    for (let i = 1; i <= 40; i++) store.getState().applyWorkerMessage({ type: 'knn', knn: { step: i * 100, top1: i / 100, numBank: 10, numQueries: 10 } });
    const pts = store.getState().knn.points;
    expect(pts.length).toBeLessThanOrEqual(8);
    expect(pts[0]!.step).toBe(100);
    expect(toKnnRows(pts)[0]!.top1).toBeCloseTo(1);
  });

  it('caps errors and logs, dropping the oldest', () => {
    const store = createAppStore({ logCap: 3 });
    for (let i = 0; i < 5; i++) store.getState().applyWorkerMessage({ type: 'log', level: 'warn', message: `w${i}` });
    expect(store.getState().logs.map((l) => l.message)).toEqual(['w2', 'w3', 'w4']);
  });
});

describe('derived values', () => {
  it('chance of hitting the lowest-IoU pair is 1/C(N,2), none when HVP is off', () => {
    expect(chanceOfLowestIou({ numViews: 4, hvpMode: 'hard' })).toBeCloseTo(1 / 6);
    expect(chanceOfLowestIou({ numViews: 2, hvpMode: 'random' })).toBe(1);
    expect(chanceOfLowestIou({ numViews: 8, hvpMode: 'easy' })).toBeCloseTo(1 / 28);
    expect(chanceOfLowestIou({ numViews: 4, hvpMode: 'off' })).toBeNull();
  });

  it('running hit rate averages selection steps only', () => {
    const rows = toIouRows([
      metrics(1, { isSelectionStep: false, lowestIouHitRate: 1 }),
      metrics(2, { lowestIouHitRate: 1 }),
      metrics(3, { lowestIouHitRate: 0 }),
      metrics(4, { isSelectionStep: false, lowestIouHitRate: 1 }),
      metrics(5, { lowestIouHitRate: 0.5 }),
    ]);
    expect(rows.map((r) => r.runningHitRate)).toEqual([null, 1, 0.5, 0.5, 0.5]);
    expect(lastRunningHitRate(rows)).toBe(0.5);
    expect(lastRunningHitRate([])).toBeNull();
  });

  it('stop step honours maxSteps and the kNN schedule text names the first step', () => {
    expect(selectStopStep({ runConfig: null, config: DEFAULT_CONFIG, maxSteps: null })).toBe(DEFAULT_CONFIG.totalSteps);
    expect(selectStopStep({ runConfig: { ...DEFAULT_CONFIG, totalSteps: 30 }, config: DEFAULT_CONFIG, maxSteps: 50 })).toBe(30);
    expect(selectStopStep({ runConfig: null, config: DEFAULT_CONFIG, maxSteps: 20 })).toBe(20);
    expect(knnScheduleText({ knnEvery: 100, totalSteps: 2000 })).toContain('first result appears at step 100');
    expect(knnScheduleText({ knnEvery: 0, totalSteps: 2000 })).toContain('off');
    expect(knnScheduleText({ knnEvery: 100, totalSteps: 2000 }, true)).toBe('Evaluated every 100 steps.');
  });
});

/**
 * Schedule chart helpers: which config and marker it shows in each run state, rows of a plan,
 * and value formats.
 */
import { describe, expect, it } from 'vitest';
import { plannedSchedules } from '../../../core/config/plannedSchedules';
import { DEFAULT_CONFIG, type RunConfig } from '../../../core/config/runConfig';
import { formatScheduleValue, scheduleRows, scheduleSource } from './scheduleView';

const edited: RunConfig = { ...DEFAULT_CONFIG, learningRate: 0.1 };
const run: RunConfig = { ...DEFAULT_CONFIG, learningRate: 0.2 };

describe('scheduleSource', () => {
  it('shows the edited config without a marker when no run is active', () => {
    for (const runState of ['idle', 'done', 'stopped', 'failed'] as const) {
      expect(scheduleSource({ runState, runConfig: run, config: edited, step: 40, viewingStep: null })).toEqual({ config: edited, markerStep: null, isRun: false });
    }
  });
  it('shows the run’s config with a marker at its step (or the viewed step) during a run', () => {
    expect(scheduleSource({ runState: 'running', runConfig: run, config: edited, step: 40, viewingStep: null })).toEqual({ config: run, markerStep: 40, isRun: true });
    expect(scheduleSource({ runState: 'paused', runConfig: run, config: edited, step: 40, viewingStep: 12 }).markerStep).toBe(12);
    expect(scheduleSource({ runState: 'preparing', runConfig: run, config: edited, step: 0, viewingStep: null }).markerStep).toBe(1);
  });
});

describe('scheduleRows', () => {
  it('pairs each sampled step with its value, empty for a schedule the plan lacks', () => {
    const plan = plannedSchedules({ ...DEFAULT_CONFIG, totalSteps: 3, warmupSteps: 0, learningRate: 1 });
    const rows = scheduleRows(plan, 'learningRate');
    expect(rows.map((r) => r.step)).toEqual([1, 2, 3]);
    expect(rows[0]!.value).toBeCloseTo(1);
    expect(rows[2]!.value).toBeCloseTo(0.25);
    expect(scheduleRows(plan, 'momentum')).toEqual([]);
  });
});

describe('formatScheduleValue', () => {
  it('keeps momenta distinguishable near 1 and rates short', () => {
    expect(formatScheduleValue('momentum', 0.99)).toBe('0.9900');
    expect(formatScheduleValue('momentum', 0.99995)).toBe('0.99995');
    expect(formatScheduleValue('momentum', 1)).toBe('1.00000');
    expect(formatScheduleValue('learningRate', 0.0612345)).toBe('0.0612');
    expect(formatScheduleValue('weightDecay', 5e-4)).toBe('5.0e-4');
    expect(formatScheduleValue('learningRate', 0)).toBe('0');
    expect(formatScheduleValue('teacherTemp', 0.04)).toBe('0.04');
  });
});

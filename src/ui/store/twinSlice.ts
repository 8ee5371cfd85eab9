/**
 * Twin slice: the twin run (worker/twinRun.ts) — its state, the config it was started with, both
 * twins' step records and evaluations, and the summed step wall time. It is separate from the
 * single run's slices, so a twin run never clears or changes the single run's charts, history or
 * config; only a new twin run replaces the previous twin's records (when the worker accepts it).
 * `reduceTwinMessage` is the only place worker messages change it.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { RunConfig } from '../../core/config/runConfig';
import type { TwinEvalRow, TwinState, TwinStepRow, TwinTiming } from '../../core/run/twinRecords';
import type { FromWorker } from '../../worker/protocol';
import { WORKER_CRASH_ERROR_NAME } from '../../worker/client';
import { appendCapped, emptyHistory, type CappedHistory } from './history';

/** Where the twin run is, as the page knows it ('idle': none started on this page). */
export type TwinPhase = TwinState | 'idle';

export interface TwinSlice {
  twin: {
    phase: TwinPhase;
    /** Steps both twins have completed. */
    step: number;
    /** Step both twins stop at (totalSteps, or maxSteps when smaller). */
    targetStep: number;
    /** Text the worker attached to the last state (e.g. why it failed), or null. */
    message: string | null;
    /** Config of the current or last twin run, or null before the first. */
    config: RunConfig | null;
    rows: CappedHistory<TwinStepRow>;
    /** Newest row, even when decimation did not keep it in `rows`. */
    latest: TwinStepRow | null;
    evals: CappedHistory<TwinEvalRow>;
    timing: TwinTiming | null;
    /** The `twinStart` request in flight and its config, or null. */
    request: { id: number; config: RunConfig } | null;
    /** Why the last twin request was refused, or null. */
    failure: string | null;
  };
}

export interface TwinActions {
  /** Records that the UI asked for a twin run of `config` (request id of `twinStart`). */
  noteTwinRequest(id: number, config: RunConfig): void;
}

/** The slice of a fresh store. */
export function initialTwinSlice(): TwinSlice {
  return {
    twin: { phase: 'idle', step: 0, targetStep: 0, message: null, config: null, rows: emptyHistory(), latest: null, evals: emptyHistory(), timing: null, request: null, failure: null },
  };
}

/** Phases in which a twin run holds the worker. */
export const TWIN_ACTIVE_PHASES: readonly TwinPhase[] = ['preparing', 'running', 'paused'];

/** Whether a twin run is preparing, running or paused. */
export const isTwinActive = (s: TwinSlice): boolean => TWIN_ACTIVE_PHASES.includes(s.twin.phase);

type TwinMessage = Extract<FromWorker, { type: 'twinState' | 'twinMetrics' | 'twinEval' | 'error' }>;

/** The fields of the slice that `msg` changes. */
export function reduceTwinMessage(s: TwinSlice, msg: TwinMessage, historyCap: number): Partial<TwinSlice> {
  const t = s.twin;
  switch (msg.type) {
    case 'twinState': {
      const base = { phase: msg.state, step: msg.step, targetStep: msg.targetStep, message: msg.message ?? null };
      // The worker accepted our request: the new twin replaces the previous twin's records.
      if (msg.state === 'preparing' && t.request) return { twin: { ...initialTwinSlice().twin, ...base, config: t.request.config } };
      return { twin: { ...t, ...base } };
    }
    case 'twinMetrics':
      return { twin: { ...t, rows: appendCapped(t.rows, msg.row, historyCap), latest: msg.row, timing: msg.timing, step: Math.max(t.step, msg.row.step) } };
    case 'twinEval':
      return { twin: { ...t, evals: appendCapped(t.evals, msg.row, historyCap) } };
    case 'error': {
      if (msg.error.name === WORKER_CRASH_ERROR_NAME) {
        return { twin: { ...t, request: null, phase: isTwinActive(s) ? 'failed' : t.phase, message: isTwinActive(s) ? msg.error.message : t.message } };
      }
      if (t.request && msg.id === t.request.id) return { twin: { ...t, request: null, failure: `${msg.error.message} ${msg.hint}` } };
      return {};
    }
  }
}

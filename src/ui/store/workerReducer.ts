/**
 * How one FromWorker message changes the store: a pure function from (state, message) to the
 * fields that change. `appStore.applyWorkerMessage` is its only caller.
 * Must not import: React, zustand, recharts, tfjs.
 */
import { PROTOCOL_VERSION, type FromWorker, type RunState } from '../../worker/protocol';
import { WORKER_CRASH_ERROR_NAME } from '../../worker/client';
import { reduceCheckpointMessage } from './checkpointSlice';
import { reduceEvaluationMessage } from './evaluationSlice';
import { reduceExplainMessage } from './explainSlice';
import { appendCapped, emptyHistory } from './history';
import { appendPairStats, windowFromHistory } from './pairStatsWindow';
import { appendProbe } from './stepScrub';
import { appendViewLog } from './viewLogWindow';
import { reduceTwinMessage } from './twinSlice';
import type { AppState, ErrorAction, ErrorEntry, LogEntry } from './storeTypes';

/** Limits the reducer needs. */
export interface ReducerLimits {
  historyCap: number;
  logCap: number;
}

/** States in which a run holds the worker (and the config is locked). */
export const ACTIVE_STATES: readonly RunState[] = ['preparing', 'running', 'paused'];

/** The fields of `state` that `msg` changes. */
export function reduceWorkerMessage(state: AppState, msg: FromWorker, limits: ReducerLimits): Partial<AppState> {
  switch (msg.type) {
    case 'ready': {
      if (msg.protocolVersion === PROTOCOL_VERSION) return { protocolVersion: msg.protocolVersion };
      return {
        protocolVersion: msg.protocolVersion,
        isWorkerAlive: false,
        runState: 'failed',
        ...addError(state, limits, {
          requestId: null, action: null, name: 'ProtocolMismatchError', isFatal: true,
          message: `The training worker speaks protocol version ${msg.protocolVersion}, but this page expects version ${PROTOCOL_VERSION}.`,
          hint: 'An outdated copy of the app is cached; reload the page (Shift+Reload) to load matching files.',
        }),
      };
    }
    case 'backend': {
      const prev = state.backend?.fallbackReason ?? null;
      return {
        backend: msg.backend,
        isBackendNoteDismissed: state.isBackendNoteDismissed && prev === msg.backend.fallbackReason,
      };
    }
    case 'ack':
      return state.pending?.id === msg.id ? { pending: null } : {};
    case 'state': {
      const isActive = ACTIVE_STATES.includes(msg.state);
      return {
        runState: msg.state,
        step: msg.step,
        stateMessage: msg.message ?? null,
        pending: null,
        isPauseRequested: msg.state === 'running' && state.isPauseRequested,
        progress: isActive ? state.progress : null,
      };
    }
    case 'progress':
      return { progress: msg.fraction >= 1 ? null : { stage: msg.stage, fraction: Math.max(0, msg.fraction) } };
    case 'metrics':
      return {
        steps: appendCapped(state.steps, msg.metrics, limits.historyCap),
        latestMetrics: msg.metrics,
        step: Math.max(state.step, msg.metrics.step),
        pairStatsWindow: appendPairStats(state.pairStatsWindow, msg.metrics, state.runConfig?.hvpMode ?? null),
      };
    case 'viewLog':
      return { viewLog: appendViewLog(state.viewLog, msg.rows) };
    case 'knn':
      return { knn: appendCapped(state.knn, msg.knn, limits.historyCap) };
    case 'evaluation':
    case 'offlineProbe':
      return reduceEvaluationMessage(state, msg, limits.historyCap);
    case 'probe':
      return { probe: msg.probe, probeHistory: appendProbe(state.probeHistory, msg.probe) };
    case 'explained':
      return reduceExplainMessage(state, msg);
    case 'log':
      return addLog(state, limits, msg.level, msg.message);
    case 'error': {
      const isCrash = msg.error.name === WORKER_CRASH_ERROR_NAME;
      const isActive = ACTIVE_STATES.includes(state.runState);
      const changes: Partial<AppState> = {
        ...reduceEvaluationMessage(state, msg, limits.historyCap),
        ...reduceExplainMessage(state, msg),
        ...reduceTwinMessage(state, msg, limits.historyCap),
        ...addError(state, limits, {
          requestId: msg.id ?? null, action: state.pending && msg.id === state.pending.id ? state.pending.type : null,
          name: msg.error.name, message: msg.error.message,
          hint: msg.hint, isFatal: msg.isFatal,
        }),
      };
      if (state.pending && (msg.id === state.pending.id || msg.isFatal)) changes.pending = null;
      if (isCrash) {
        changes.isWorkerAlive = false;
        changes.runState = 'failed';
        changes.progress = null;
      } else if (msg.isFatal && isActive) {
        changes.runState = 'failed';
        changes.progress = null;
      }
      return changes;
    }
    case 'twinState':
    case 'twinMetrics':
    case 'twinEval':
      return reduceTwinMessage(state, msg, limits.historyCap);
    case 'done':
      return { runState: 'done', step: msg.step, pending: null, progress: null };
    case 'exported':
      return {
        ...reduceCheckpointMessage(state, msg, limits.historyCap),
        errors: dismissErrorsOf(state.errors, msg.kind === 'checkpoint' ? 'exportCheckpoint' : 'exportBackbone'),
      };
    case 'autosaves':
      return reduceCheckpointMessage(state, msg, limits.historyCap);
    case 'loaded':
      return {
        ...reduceCheckpointMessage(state, msg, limits.historyCap),
        errors: dismissErrorsOf(state.errors, 'loadCheckpoint'),
        ...reduceEvaluationMessage(state, msg, limits.historyCap),
        ...reduceExplainMessage(state, msg),
        probeHistory: emptyHistory(),
        viewingStep: null,
        pairStatsWindow: windowFromHistory(msg.history.metrics, msg.config.hvpMode),
        ...addLog(state, limits, 'info', `Loaded ${msg.sourceName} at step ${msg.step}${msg.notes.length ? ` (${msg.notes.join(' ')})` : ''}. Press Resume to continue it.`),
      };
    default: {
      // A message type this page does not know (newer worker): note it instead of crashing.
      const unknown = msg as { type?: unknown };
      return addLog(state, limits, 'warn', `Ignored an unknown message type "${String(unknown.type)}" from the worker.`);
    }
  }
}

function addLog(state: AppState, limits: ReducerLimits, level: LogEntry['level'], message: string): Partial<AppState> {
  const entry: LogEntry = { seq: state.nextSeq, level, message, step: state.step };
  return { logs: keepLast([...state.logs, entry], limits.logCap), nextSeq: state.nextSeq + 1 };
}

/** `errors` with the banners of failed `action` requests dismissed (they stay in the log): called
 * when a request of that kind succeeds, so an old failure does not sit next to the success. */
export function dismissErrorsOf(errors: ErrorEntry[], action: ErrorAction): ErrorEntry[] {
  if (!errors.some((e) => e.action === action && !e.isDismissed)) return errors;
  return errors.map((e) => (e.action === action && !e.isDismissed ? { ...e, isDismissed: true } : e));
}

/** Adds an error (a banner until dismissed) and its line in the event log. */
export function addError(
  state: AppState, limits: ReducerLimits, e: Omit<ErrorEntry, 'seq' | 'step' | 'isDismissed'>,
): Pick<AppState, 'errors' | 'logs' | 'nextSeq'> {
  const seq = state.nextSeq;
  const entry: ErrorEntry = { ...e, seq, step: state.step, isDismissed: false };
  const log: LogEntry = { seq, level: 'error', message: `${e.name}: ${e.message} — ${e.hint}`, step: state.step };
  return {
    errors: keepLast([...state.errors, entry], limits.logCap),
    logs: keepLast([...state.logs, log], limits.logCap),
    nextSeq: seq + 1,
  };
}

function keepLast<T>(items: T[], cap: number): T[] {
  return items.length > cap ? items.slice(items.length - cap) : items;
}

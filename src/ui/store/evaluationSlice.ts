/**
 * Evaluation slice: the online linear probe and collapse-health records of every evaluation, the
 * newest PCA map with the held-out thumbnails, and the on-demand (offline) linear probe request
 * and its result. `reduceEvaluationMessage` is the only place worker messages change it.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { EvaluationRecord, OfflineProbeResult, PcaMap, Thumbnails } from '../../core/eval/evaluationMetrics';
import { WORKER_CRASH_ERROR_NAME } from '../../worker/client';
import type { FromWorker } from '../../worker/protocol';
import { appendCapped, emptyHistory, type CappedHistory } from './history';

export interface EvaluationSlice {
  evaluations: CappedHistory<EvaluationRecord>;
  /** Newest PCA map of the held-out embeddings and its step. */
  pcaMap: { step: number; map: PcaMap } | null;
  /** Thumbnails of the first held-out images (sent once per run loop). */
  thumbnails: Thumbnails | null;
  /** The offline probe: request in flight (null: none) and the last result. */
  offlineProbe: { requestId: number | null; result: OfflineProbeResult | null; failure: string | null };
}

export interface EvaluationActions {
  /** Records that the UI asked for an offline probe (request id of `linearProbe`). */
  noteOfflineProbeRequest(id: number): void;
}

/** The slice of a fresh store or a new run. */
export function initialEvaluationSlice(): EvaluationSlice {
  return { evaluations: emptyHistory(), pcaMap: null, thumbnails: null, offlineProbe: { requestId: null, result: null, failure: null } };
}

type EvaluationMessage = Extract<FromWorker, { type: 'evaluation' | 'offlineProbe' | 'error' | 'loaded' }>;

/** The fields of the slice that `msg` changes. */
export function reduceEvaluationMessage(s: EvaluationSlice, msg: EvaluationMessage, historyCap: number): Partial<EvaluationSlice> {
  switch (msg.type) {
    case 'evaluation': {
      const { pca, thumbnails, ...rest } = msg.evaluation;
      const record: EvaluationRecord = { step: rest.step, linearProbe: rest.linearProbe, health: rest.health };
      return {
        evaluations: appendCapped(s.evaluations, record, historyCap),
        pcaMap: { step: msg.evaluation.step, map: pca },
        ...(thumbnails ? { thumbnails } : {}),
      };
    }
    case 'offlineProbe':
      return s.offlineProbe.requestId === msg.id ? { offlineProbe: { requestId: null, result: msg.result, failure: null } } : {};
    case 'error':
      return s.offlineProbe.requestId !== null && (msg.id === s.offlineProbe.requestId || msg.error.name === WORKER_CRASH_ERROR_NAME)
        ? { offlineProbe: { ...s.offlineProbe, requestId: null, failure: msg.error.message } }
        : {};
    case 'loaded': {
      // An older checkpoint has no `evaluations` (or a malformed one): the charts start empty.
      const records = Array.isArray(msg.history.evaluations) ? msg.history.evaluations : [];
      let evaluations = emptyHistory<EvaluationRecord>();
      for (const r of records) evaluations = appendCapped(evaluations, r, historyCap);
      return { ...initialEvaluationSlice(), evaluations };
    }
  }
}

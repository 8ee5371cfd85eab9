/**
 * Explain slice (teaching mode): the "Explain the next step" request in flight and the last explained
 * step (its four stages, core/train/explainStep.ts). `reduceExplainMessage` is the only place worker
 * messages change it; a new run or a loaded checkpoint clears it.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { StepExplanation } from '../../core/explain/stepExplanation';
import type { FromWorker } from '../../worker/protocol';

export interface ExplainSlice {
  explain: {
    /** Id of the `explainStep` request in flight, or null. */
    requestId: number | null;
    /** The last explained step, or null. */
    explanation: StepExplanation | null;
    /** Why the last request failed, or null. */
    failure: string | null;
  };
}

export interface ExplainActions {
  /** Records that the UI asked to explain the next step (request id of `explainStep`). */
  noteExplainRequest(id: number): void;
}

/** The slice of a fresh store or a new run. */
export function initialExplainSlice(): ExplainSlice {
  return { explain: { requestId: null, explanation: null, failure: null } };
}

type ExplainMessage = Extract<FromWorker, { type: 'explained' | 'error' | 'loaded' }>;

/** The fields of the slice that `msg` changes. */
export function reduceExplainMessage(s: ExplainSlice, msg: ExplainMessage): Partial<ExplainSlice> {
  switch (msg.type) {
    case 'explained':
      return msg.id === s.explain.requestId ? { explain: { requestId: null, explanation: msg.explanation, failure: null } } : {};
    case 'error':
      if (s.explain.requestId === null || (msg.id !== s.explain.requestId && !msg.isFatal)) return {};
      return { explain: { ...s.explain, requestId: null, failure: `${msg.error.message} ${msg.hint}` } };
    case 'loaded':
      return initialExplainSlice();
  }
}

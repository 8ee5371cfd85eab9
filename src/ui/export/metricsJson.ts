/**
 * Metrics → a self-describing JSON document: the run's config (seed included), where the run
 * stood, every kept step record and kNN result, and how the histories were decimated.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { RunConfig } from '../../core/config/runConfig';
import type { KnnMetrics, StepMetrics } from '../../core/train/metrics';

/** Format tag and version of the exported document. */
export const METRICS_JSON_FORMAT = 'hvp-playground-metrics';
export const METRICS_JSON_VERSION = 1;

/** What the export reads from the store. */
export interface MetricsExportInput {
  config: RunConfig;
  runState: string;
  step: number;
  steps: readonly StepMetrics[];
  knn: readonly KnnMetrics[];
  /** Keep-one-in-`stride` of the step history (1 = every logged step kept). */
  stepStride: number;
  /** Logged steps ever received (more than `steps.length` once decimated). */
  numStepsSeen: number;
  /** ISO time of the export. */
  exportedAt: string;
}

/** The exported document. */
export interface MetricsDocument {
  format: typeof METRICS_JSON_FORMAT;
  version: number;
  exportedAt: string;
  seed: number;
  runState: string;
  step: number;
  config: RunConfig;
  decimation: { stepStride: number; numStepsSeen: number; numStepsKept: number };
  steps: StepMetrics[];
  knn: KnnMetrics[];
}

/** Builds the document. Non-finite numbers (a diverged loss) are kept as the strings "NaN",
 * "Infinity", "-Infinity" by `metricsToJson`, since JSON has no literal for them. */
export function buildMetricsDocument(input: MetricsExportInput): MetricsDocument {
  return {
    format: METRICS_JSON_FORMAT,
    version: METRICS_JSON_VERSION,
    exportedAt: input.exportedAt,
    seed: input.config.seed,
    runState: input.runState,
    step: input.step,
    config: { ...input.config },
    decimation: { stepStride: input.stepStride, numStepsSeen: input.numStepsSeen, numStepsKept: input.steps.length },
    steps: [...input.steps],
    knn: [...input.knn],
  };
}

/** The document as pretty-printed JSON text. */
export function metricsToJson(input: MetricsExportInput): string {
  return JSON.stringify(buildMetricsDocument(input), (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n';
}

/** File name (without extension) of an export: method, HVP mode, N, seed and step. */
export function metricsFileBase(config: Pick<RunConfig, 'method' | 'hvpMode' | 'numViews' | 'seed'>, step: number): string {
  return `hvp-metrics-${config.method}-${config.hvpMode}-N${config.numViews}-seed${config.seed}-step${step}`;
}

/**
 * The words the status line puts on waits: durations, the ETA from the measured step time, and what
 * the page is waiting for before a run's first logged step. Pure; unit-tested in statusText.test.ts.
 * Must not import: React, zustand, recharts, tfjs.
 */

/** "0.4 s", "42 s", "3 min 05 s", "1 h 12 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Time left for `remainingSteps` at the measured `msPerStep`, or null without a measurement. */
export function etaText(remainingSteps: number, msPerStep: number | null): string | null {
  if (msPerStep === null || !(msPerStep > 0) || remainingSteps <= 0) return null;
  return `about ${formatDuration(remainingSteps * msPerStep)} left`;
}

/** What a running run is waiting for before a logged step arrives. */
export interface WaitInput {
  /** True until this run (or this loaded checkpoint) has taken a step: the GPU programs compile then. */
  isFirstStep: boolean;
  elapsedMs: number;
  /** Engine in use. */
  backendName: string | null;
  isSoftwareGpu: boolean;
  /** The step whose metrics come next (metrics arrive every logEvery steps). */
  nextLoggedStep: number;
}

/** "first step: compiling the GPU programs… 12 s (a software GPU takes minutes)". */
export function waitText(w: WaitInput): string {
  const elapsed = formatDuration(w.elapsedMs);
  if (!w.isFirstStep) return `working on step ${w.nextLoggedStep}… ${elapsed}`;
  const isGpu = w.backendName === 'webgpu' || w.backendName === 'webgl';
  const what = isGpu ? 'compiling the GPU programs and taking the first step' : 'taking the first step';
  const slow = w.isSoftwareGpu ? ' (a software GPU needs a few minutes for this)' : isGpu ? ' (this can take a minute)' : '';
  return `${what}… ${elapsed}${slow}`;
}

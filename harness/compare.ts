/**
 * Result type and tensor comparison of the GPU conformance harness (harness/kernels.html).
 * A check passes when max |actual − expected| ≤ tolerance, with tolerance = rtol · max(|expected|, floor):
 * errors are judged against the scale of the reference tensor, because every tensor compared here is
 * O(1)–O(1e-3) and f32 rounding errors scale with magnitude.
 * Must not import: worker/, ui/.
 */
import type * as tf from '@tensorflow/tfjs';

/** One conformance check, as exposed on `window.__kernelResults.checks`. */
export interface KernelCheck {
  name: string;
  /** Max absolute difference between the GPU kernel's output and the reference. */
  maxAbsErr: number;
  /** Absolute tolerance that was applied (rtol × reference scale). */
  tolerance: number;
  pass: boolean;
  /** Why this tolerance, and which tensor was worst. */
  note: string;
}

/** What the harness page publishes as `window.__kernelResults`. */
export interface KernelResults {
  done: boolean;
  backend: string;
  adapter: { vendor: string; architecture: string; device: string; description: string } | null;
  checks: KernelCheck[];
  /** Uncaptured WebGPU errors (shader compilation / validation); must be empty. */
  gpuErrors: string[];
  error?: string;
  elapsedMs?: number;
}

/** Max |a − b| and max |b| of two same-shape tensors (sync point: awaits data()). */
export async function diff(a: tf.Tensor, b: tf.Tensor): Promise<{ maxAbsErr: number; scale: number }> {
  if (a.shape.join(',') !== b.shape.join(',')) {
    return { maxAbsErr: Infinity, scale: 0 };
  }
  const [x, y] = await Promise.all([a.data(), b.data()]);
  let maxAbsErr = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    const e = Math.abs(x[i] - y[i]);
    // NaN in either operand must fail the check.
    maxAbsErr = Number.isNaN(e) ? Infinity : Math.max(maxAbsErr, e);
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return { maxAbsErr, scale };
}

/**
 * Compares named tensor pairs and returns one check with the worst tensor (by error / tolerance).
 * @param floor minimum reference scale, so all-zero references still get a non-zero tolerance
 */
export async function compareTensors(
  name: string,
  pairs: ReadonlyArray<readonly [label: string, actual: tf.Tensor, expected: tf.Tensor]>,
  rtol: number,
  why: string,
  floor = 1e-3,
): Promise<KernelCheck> {
  let worst: KernelCheck = { name, maxAbsErr: 0, tolerance: rtol * floor, pass: true, note: why };
  let worstRatio = -1;
  for (const [label, actual, expected] of pairs) {
    const { maxAbsErr, scale } = await diff(actual, expected);
    const tolerance = rtol * Math.max(scale, floor);
    const ratio = maxAbsErr / tolerance;
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worst = { name, maxAbsErr, tolerance, pass: maxAbsErr <= tolerance, note: `${why}; worst: ${label}` };
    }
  }
  return worst;
}

/** A pass/fail check that is not a numeric comparison (maxAbsErr 0/1). */
export const booleanCheck = (name: string, ok: boolean, note: string): KernelCheck => ({
  name,
  maxAbsErr: ok ? 0 : 1,
  tolerance: 0,
  pass: ok,
  note,
});

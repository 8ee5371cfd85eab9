// Runs `python -m hvp_torch …` from python/ for the PyTorch interop tests: one process, or K gloo
// processes under torchrun; and compares two tensor maps (model or optimizer state) the way those tests do.
//
// torchrun is launched with a c10d rendezvous on localhost:0, not --standalone: torch 1.13's
// --standalone always uses port 29400, so two test files launching torchrun at once shared one store,
// and the job whose store it was took it away when it finished, failing the other (exit 1).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { HostTensor } from '../../src/core/state/hostTensor';

/** The folder `-m hvp_torch` runs from. */
export const PY_DIR = join(import.meta.dirname, '..', '..', 'python');

export interface TorchRunResult { status: number | null; stdout: string; stderr: string }

/** `python -m hvp_torch ARGS`, or the same under torchrun with `nproc` gloo processes; 1 OpenMP thread each. */
export function runHvpTorch(python: string, args: string[], nproc = 1): TorchRunResult {
  const launcher = nproc === 1 ? [] : [
    '-m', 'torch.distributed.run', '--nnodes=1', `--nproc_per_node=${nproc}`,
    '--rdzv_backend=c10d', '--rdzv_endpoint=localhost:0', `--rdzv_id=${randomUUID()}`,
    // Debian's torch 1.13 on Python 3.11 parses only 1 and 2 here (its Std IntFlag drops 0 and 3);
    // 1 prefixes each process's stdout with its rank, and every rank's stderr reaches ours unchanged.
    '--redirects', '1', '--tee', '1',
  ];
  const r = spawnSync(python, [...launcher, '-m', 'hvp_torch', ...args], {
    cwd: PY_DIR, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20, env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.error ? `${r.stderr}\n${r.error.message}` : r.stderr };
}

/**
 * Largest |a − b| / max(1, |a|) over every tensor of two maps with the same names and shapes:
 * absolute below magnitude 1, relative above (AdamW's exp_avg_sq grows large, where float32
 * round-off is relative). A NaN on either side counts as the worst difference.
 */
export function maxTensorDiff(a: Map<string, HostTensor>, b: Map<string, HostTensor>): { worst: string; diff: number } {
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  let worst = '';
  let diff = 0;
  for (const [k, t] of a) {
    const u = b.get(k)!;
    expect(u.shape, k).toEqual(t.shape);
    for (let i = 0; i < t.data.length; i++) {
      const d = Math.abs(t.data[i]! - u.data[i]!) / Math.max(1, Math.abs(t.data[i]!));
      if (!(d <= diff)) [diff, worst] = [Number.isNaN(d) ? Infinity : d, k];
    }
  }
  return { worst, diff };
}

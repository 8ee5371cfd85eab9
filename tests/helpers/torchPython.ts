// The Python interpreter the PyTorch interop tests use: HVP_PYTHON if set, else the first of python3 and
// /usr/bin/python3 that imports torch and torchvision (Debian: apt-get install python3-torch
// python3-torchvision, which .ci/run does), or null. Without one the tests skip, except under CI=true.
import { spawnSync } from 'node:child_process';

/** First interpreter that imports torch and torchvision, or null. */
export function findTorchPython(): string | null {
  const candidates = process.env.HVP_PYTHON ? [process.env.HVP_PYTHON] : ['python3', '/usr/bin/python3'];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch, torchvision'], { stdio: 'ignore', timeout: 60_000 });
    if (r.status === 0) return python;
  }
  return null;
}

/** Why an interop test cannot run. */
export const TORCH_MISSING = 'no Python with torch + torchvision (set HVP_PYTHON, or apt-get install python3-torch python3-torchvision)';

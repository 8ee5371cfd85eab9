"""iBOT's block-wise patch masks, exactly as src/core/methods/ibotMasks.ts: the same draws from the
same streams give the same masks bit for bit, so a step continued here masks what ours would.

  block_mask(rng, grid, count)   rectangles of area U(min(⌊g/3⌋², budget), budget) and aspect
        exp(U(ln 0.3, −ln 0.3)), h = round(√(area·aspect)), w = round(√(area/aspect)) (JS rounding,
        half up), top = int_range(0, g − h), left = int_range(0, g − w); a rectangle is kept when it
        adds 1 … budget new patches (10 tries each, stop when none fits), then single patches
        (the k-th unmasked, k = int(#unmasked)) until exactly `count` are masked.
  ibot_masks(seed, step_idx, grid, ratio, view_ids, num_images) -> float32 [len(view_ids)·M, g²]
        row k·M + m = view view_ids[k] of image m; view v of a step draws from its own stream
        create_rng(derive_seed(seed, f"ibot_mask:{step_idx}:{v}")), images in order. seed is the
        method's init seed, derive_seed(config["seed"], "init").
  masked_count(ratio, grid) = ⌊ratio·g² + 1e-9⌋

`rng` is anything with next(), uniform(lo, hi), int(n), int_range(lo, hi) as our Rng
(hvp_torch.random); TorchGeneratorRng adapts a torch.Generator for the same distribution when
bit-identical masks are not wanted (e.g. a fresh run seeded by torch).
"""
import math

import torch

from .random import create_rng, derive_seed

MIN_ASPECT = 0.3
BLOCK_TRIES = 10


def masked_count(ratio, grid):
    if not (0 <= ratio < 1):
        raise ValueError(f"The iBOT mask ratio must be in [0, 1), got {ratio}")
    return math.floor(ratio * grid * grid + 1e-9)


def _js_round(x):
    return math.floor(x + 0.5)


def block_mask(rng, grid, count):
    """One g×g mask (list of 0/1, row-major) with exactly `count` masked patches. Advances rng."""
    n = grid * grid
    if count < 0 or count > n:
        raise ValueError(f"Cannot mask {count} of {n} patches")
    mask = [0] * n
    log_lo = math.log(MIN_ASPECT)
    min_area = (grid // 3) ** 2
    num_masked = 0
    while num_masked < count:
        budget = count - num_masked
        added = 0
        t = 0
        while t < BLOCK_TRIES and added == 0:
            t += 1
            area = rng.uniform(min(min_area, budget), budget)
            aspect = math.exp(rng.uniform(log_lo, -log_lo))
            h = _js_round(math.sqrt(area * aspect))
            w = _js_round(math.sqrt(area / aspect))
            if h < 1 or w < 1 or h >= grid or w >= grid:
                continue
            top = rng.int_range(0, grid - h)
            left = rng.int_range(0, grid - w)
            cells = [i * grid + j for i in range(top, top + h) for j in range(left, left + w)]
            fresh = sum(1 - mask[c] for c in cells)
            if fresh == 0 or fresh > budget:
                continue
            for c in cells:
                mask[c] = 1
            added = fresh
        if added == 0:
            break
        num_masked += added
    while num_masked < count:
        k = rng.int(n - num_masked)
        seen = 0
        for i in range(n):
            if mask[i]:
                continue
            if seen == k:
                mask[i] = 1
                break
            seen += 1
        num_masked += 1
    return mask


def ibot_masks(seed, step_idx, grid, ratio, view_ids, num_images):
    count = masked_count(ratio, grid)
    rows = []
    for v in view_ids:
        rng = create_rng(derive_seed(seed, f"ibot_mask:{step_idx}:{v}"))
        rows.extend(block_mask(rng, grid, count) for _ in range(num_images))
    return torch.tensor(rows, dtype=torch.float32).reshape(len(view_ids) * num_images, grid * grid)


class TorchGeneratorRng:
    """Our Rng's draw methods on a torch.Generator (same distributions, not the same numbers)."""

    def __init__(self, generator):
        self.g = generator

    def next(self):
        return float(torch.rand((), generator=self.g, dtype=torch.float64))

    def uniform(self, lo, hi):
        return lo + (hi - lo) * self.next()

    def int(self, n):
        return math.floor(self.next() * n)

    def int_range(self, lo, hi):
        return lo + math.floor(self.next() * (hi - lo + 1))

"""Whole-image resize to size × size RGB uint8, bit-exact with formats/resize.ts: per axis, area
averaging where it shrinks and bilinear (half-pixel centres, edges clamped) where it grows; alpha
dropped; gray copied to R, G, B. Taps are accumulated in the same order in float64 and rounded as
Math.round (half up), so the bytes equal the TS importer's. Vectorised over a batch of images.

Public API: resize_to_square_rgb(src: np.ndarray [n, H, W, C] uint8, C in 1/3/4, size) -> np.uint8 [n, size, size, 3]
Must not import: torch.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Tuple

import numpy as np


@lru_cache(maxsize=64)
def _axis_taps(in_len: int, out_len: int) -> Tuple[np.ndarray, np.ndarray]:
    """Source index [out, K] and weight [out, K] (zero-weight padding taps at the end)."""
    starts, taps = [], []
    scale = in_len / out_len
    for i in range(out_len):
        if in_len > out_len:
            lo, hi = i * scale, (i + 1) * scale
            first = math.floor(lo)
            last = min(in_len - 1, math.ceil(hi) - 1)
            starts.append(first)
            taps.append([(min(hi, j + 1) - max(lo, j)) / scale for j in range(first, last + 1)])
        elif in_len < out_len:
            x = min(max((i + 0.5) * scale - 0.5, 0), in_len - 1)
            j0 = math.floor(x)
            f = x - j0
            starts.append(j0)
            taps.append([1 - f, f] if (j0 + 1 < in_len and f > 0) else [1.0])
        else:
            starts.append(i)
            taps.append([1.0])
    k = max(len(t) for t in taps)
    idx = np.zeros((out_len, k), dtype=np.int64)
    w = np.zeros((out_len, k), dtype=np.float64)
    for i, (s, t) in enumerate(zip(starts, taps)):
        for j in range(k):
            idx[i, j] = min(s + j, in_len - 1)
            w[i, j] = t[j] if j < len(t) else 0.0
    return idx, w


def _js_round_u8(acc: np.ndarray) -> np.ndarray:
    f = np.floor(acc)
    r = np.where(acc - f >= 0.5, f + 1, f)  # Math.round: ties up
    return np.clip(r, 0, 255).astype(np.uint8)


def resize_to_square_rgb(src: np.ndarray, size: int) -> np.ndarray:
    """[n, H, W, C] uint8 → [n, size, size, 3] uint8 (C = 1 gray, 3 RGB, 4 RGBA)."""
    n, H, W, C = src.shape
    rgb = src[..., [0, 0, 0]] if C == 1 else src[..., :3]
    if H == size and W == size:
        return np.ascontiguousarray(rgb)
    hi, hw = _axis_taps(W, size)
    vi, vw = _axis_taps(H, size)
    x = rgb.astype(np.float64)
    tmp = np.zeros((n, H, size, 3), dtype=np.float64)
    for k in range(hi.shape[1]):  # horizontal pass, taps in TS order
        tmp += x[:, :, hi[:, k], :] * hw[None, None, :, k, None]
    out = np.zeros((n, size, size, 3), dtype=np.float64)
    for k in range(vi.shape[1]):  # vertical pass
        out += tmp[:, vi[:, k], :, :] * vw[None, :, k, None, None]
    return _js_round_u8(out)

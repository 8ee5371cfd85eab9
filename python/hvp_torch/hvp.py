"""The HVP choice of each image's views: the selection rule (src/core/train/selection.ts) and the
random / identity plans the trainer draws from the run's select stream, so a continuation draws
what the browser would (pairs: randomPairs; multi-crop: src/core/train/combinations.ts).

API
  select(losses [M, P], mode 'hard'|'easy') -> int64 [M]   highest / lowest, EARLIEST pair on ties,
                                                            pair 0 for a row with no extreme (NaN)
  random_pairs(rng, num_images, num_views) -> [M] ints       one rng.int(C(N, 2)) per image
  Multi-crop combination tables, lists of rows [even global, odd global, l local ids]:
  num_combinations(G, L, l) -> (G/2)²·C(L, l)
  all_combinations(G, L, l) -> rows      index i = pair·C(L, l) + subset, pair = e·(G/2) + o,
                                          subsets in lexicographic order
  candidate_combinations(rng, G, L, l, cap) -> rows   all when ≤ cap, else a partial Fisher–Yates
                                          draw of cap indices (one rng.int(n − i) each), in draw order
  random_combinations(rng, M, G, L, l) -> rows        one rng.int(n) per image
  identity_combinations(M, l) -> rows                 [0, 1, 0…l−1] per image
"""
import math

import torch


def select(losses, mode):
    P = losses.shape[1]
    extreme = losses.max(1, keepdim=True).values if mode == "hard" else losses.min(1, keepdim=True).values
    rank = P - torch.arange(P, device=losses.device, dtype=torch.float32)              # [P]: P − p
    score = rank + (losses == extreme).float() * P                                      # [M, P], distinct
    return score.argmax(1)


def random_pairs(rng, num_images, num_views):
    p = num_views * (num_views - 1) // 2
    if p < 1:
        raise ValueError(f"random pairs need at least 2 views, got {num_views}")
    return [rng.int(p) for _ in range(num_images)]


def binomial(n, k):
    if k < 0 or k > n:
        return 0
    return math.comb(n, k)


def _check_counts(G, L, l):
    if not isinstance(G, int) or G < 2 or G % 2:
        raise ValueError(f"Combinations need an even number of global views ≥ 2 (even × odd pairs), got {G}")
    if not isinstance(l, int) or l < 0 or not isinstance(L, int) or L < l:
        raise ValueError(f"Combinations need 0 ≤ l ≤ L local views, got l = {l}, L = {L}")


def num_combinations(G, L, l):
    _check_counts(G, L, l)
    return (G // 2) ** 2 * binomial(L, l)


def _unrank_subset(rank, L, l):
    out, r, nxt = [], rank, 0
    for j in range(l):
        for x in range(nxt, L):
            count = binomial(L - x - 1, l - j - 1)          # subsets with x at position j
            if r < count:
                out.append(x)
                nxt = x + 1
                break
            r -= count
    return out


def _combo(index, G, L, l):
    half, subsets = G // 2, binomial(L, l)
    pair = index // subsets                                 # even-major: pair = e·half + o
    return [2 * (pair // half), 2 * (pair % half) + 1] + _unrank_subset(index % subsets, L, l)


def all_combinations(G, L, l):
    return [_combo(i, G, L, l) for i in range(num_combinations(G, L, l))]


def candidate_combinations(rng, G, L, l, cap):
    if not isinstance(cap, int) or cap < 1:
        raise ValueError(f"The combination cap must be a positive integer, got {cap}")
    n = num_combinations(G, L, l)
    if n <= cap:
        return all_combinations(G, L, l)
    if n > 2 ** 32:
        raise ValueError(f"{n} combinations are too many to draw from (G = {G}, L = {L}, l = {l}); use fewer local views")
    moved, rows = {}, []
    for i in range(cap):
        j = i + rng.int(n - i)
        pick = moved.get(j, j)
        moved[j] = moved.get(i, i)
        rows.append(_combo(pick, G, L, l))
    return rows


def random_combinations(rng, num_images, G, L, l):
    n = num_combinations(G, L, l)
    return [_combo(rng.int(n), G, L, l) for _ in range(num_images)]


def identity_combinations(num_images, l):
    return [[0, 1] + list(range(l)) for _ in range(num_images)]

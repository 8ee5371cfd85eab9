"""The HVP choice of each image's views: the selection rule (src/core/train/selection.ts) and the
random / identity plans the trainer draws from the run's select stream, so a continuation draws
what the browser would (pairs: randomPairs; multi-crop combinations are not in hvp_torch yet).

API
  select(losses [M, P], mode 'hard'|'easy') -> int64 [M]   highest / lowest, EARLIEST pair on ties,
                                                            pair 0 for a row with no extreme (NaN)
  random_pairs(rng, num_images, num_views) -> [M] ints       one rng.int(C(N, 2)) per image
"""
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

"""What one step draws and trains on, before any tensor work: the trainer-level orchestration of
src/core/train/trainer.ts (pair methods) and multiCropTrainer.ts (DINO, iBOT), driven by the run's
own streams so a continuation in PyTorch draws what the browser would have drawn:
  lr = cosine with warmup at the 0-based step s (schedules.ts cosineWithWarmup);
  batch = the data-order sampler's next M indices;
  view parameters of all sampled views from the view stream (view-major v = k·M + m);
  the plan: hard / easy with s % hvpEvery = 0 → select among candidates; random → one random pair
  (combination) per image from the select stream; off or a non-selection step → the identity
  (views 0 and 1; multi-crop: globals 0, 1 and locals 0…l−1), and only those views are rendered.
Every process of a torchrun job draws the whole global batch's parameters and plan (cheap, on the
CPU), so the streams stay identical on every rank and a checkpoint's state does not depend on the
number of processes; each rank then renders and trains its shard of the images.

API
  cosine_with_warmup(step, base, total_steps, warmup_steps, final=0.0) -> float
  Streams(progress, num_train, batch_size)     .sampler, .view_rng, .select_rng, .progress(step) -> dict
  StepDraw: step, lr, idx [M], params (globals), local_params, num_views, num_locals, plan, rendered
  draw_step(streams, config, step, src_height, src_width, combos) -> StepDraw
    combos: the module with random_pairs / candidate_combinations / random_combinations /
    identity_combinations (hvp.py), passed in so this file stays free of model code.
  shard_params(params, num_views, M, lo, hi) -> the view-major params of images [lo, hi)
"""
import math
from dataclasses import dataclass, field
from typing import Any, List, Optional

from .data import BatchSampler
from .random import rng_from_state
from .views import augment_from_config, sample_batch_view_params, sampled_crop_counts

MULTI_CROP_METHODS = ("dino", "ibot")


def cosine_with_warmup(step, base, total_steps, warmup_steps, final=0.0):
    """Linear warmup over warmup_steps, then cosine from base to final at total_steps."""
    if warmup_steps > 0 and step < warmup_steps:
        return base * (step + 1) / warmup_steps
    decay = max(1, total_steps - warmup_steps)
    t = min(1.0, (step - warmup_steps) / decay)
    return final + 0.5 * (base - final) * (1 + math.cos(math.pi * t))


class Streams:
    """The run's data order, view stream and select stream, restored from record.progress."""

    def __init__(self, progress, num_train, batch_size):
        self.sampler = BatchSampler(num_train, batch_size, progress["sampler"])
        self.view_rng = rng_from_state(progress["viewRng"])
        self.select_rng = rng_from_state(progress["selectRng"])

    def progress(self, step):
        """record.progress after `step` completed steps (TrainerProgress)."""
        return {"step": step, "sampler": self.sampler.get_state(), "viewRng": self.view_rng.get_state(),
                "selectRng": self.select_rng.get_state()}


@dataclass
class StepDraw:
    step: int                      # 0-based index of the step
    lr: float
    idx: List[int]                 # [M] training-image indices of the global batch
    params: list                   # sampled (global) view params, view-major, num_views·M
    num_views: int                 # views (globals) sampled per image
    plan: tuple                    # ('select', mode, candidates) | ('fixed', chosen)
    rendered: int                  # views (globals) rendered per image
    local_params: list = field(default_factory=list)
    num_locals: int = 0            # locals sampled per image
    rendered_locals: int = 0
    is_selection: bool = False


def draw_step(streams: Streams, config, step, src_height, src_width, combos) -> StepDraw:
    """Everything step `step` draws from the run's streams, in the TS order (see the header)."""
    lr = cosine_with_warmup(step, config["learningRate"], config["totalSteps"], config["warmupSteps"])
    idx = streams.sampler.next_batch()
    M = len(idx)
    mode = config["hvpMode"]
    selecting = mode in ("hard", "easy") and step % config["hvpEvery"] == 0
    if config["method"] in MULTI_CROP_METHODS:
        l = config["numLocalViews"]
        G, L = sampled_crop_counts(config)
        gp = sample_batch_view_params(streams.view_rng, augment_from_config(config), G, M, src_height, src_width)
        lp = sample_batch_view_params(streams.view_rng, augment_from_config(config, local=True), L, M, src_height, src_width) if L > 0 else []
        if selecting:
            plan = ("select", mode, combos.candidate_combinations(streams.select_rng, G, L, l, config["comboCap"]))
            rg, rl = G, L
        elif mode == "random":
            plan = ("fixed", combos.random_combinations(streams.select_rng, M, G, L, l))
            rg, rl = G, L
        else:
            plan = ("fixed", combos.identity_combinations(M, l))
            rg, rl = 2, l
        return StepDraw(step, lr, idx, gp, G, plan, rg, lp, L, rl, selecting)
    N = 2 if mode == "off" else config["numViews"]
    params = sample_batch_view_params(streams.view_rng, augment_from_config(config), N, M, src_height, src_width)
    if selecting:
        return StepDraw(step, lr, idx, params, N, ("select", mode, None), N, is_selection=True)
    if mode == "random":
        return StepDraw(step, lr, idx, params, N, ("fixed", combos.random_pairs(streams.select_rng, M, N)), N)
    return StepDraw(step, lr, idx, params, N, ("fixed", [0] * M), 2)


def shard_params(params, num_views, M, lo, hi):
    """View-major params of images [lo, hi) of a global batch of M: row k·(hi−lo) + (m − lo)."""
    return [params[k * M + m] for k in range(num_views) for m in range(lo, hi)]

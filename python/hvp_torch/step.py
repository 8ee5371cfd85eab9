"""One HVP training step in torch, as src/core/train/hvpStep.ts (pair methods):
  1. a selection step: the method's per-sample loss of every pair of every image from one forward
     of all rendered views without a gradient (BN in training mode, running stats updated), the
     highest (hard) / lowest (easy) per image, earliest pair on ties; otherwise the plan's pairs;
  2. the two views of each image's pair gathered, one forward/backward of the method's training
     loss (through DistributedDataParallel under torchrun), the optimizer update, after_step.

API
  StepResult: loss (float, this process's), selected (int64 [m]), candidate_losses ([m, P] | None)
  prepare_distributed(run, dist)     wraps the training forward in DDP when dist has > 1 process
  shard_plan(plan, M, lo, hi, config) -> this process's part of a plan (see plan.py)
  chosen_globals(plan, selected, M) -> the chosen (even, odd) globals of every image, flat [M·2]
  train_step(run, views [V,3,S,S], locals_, plan, lr, step_index) -> StepResult
Multi-crop methods (DINO, iBOT; src/core/train/multiCropStep.ts): views are the rendered globals
[G·M, 3, Sg, Sg], locals_ the rendered locals [L·M, 3, Sl, Sl] (or None / empty); plan
('select', mode, candidate rows [C][2+l]) or ('fixed', chosen rows [M][2+l]); beginStep(s), the
selection forward (combo_losses [M, C]), the chosen views gathered, the training loss under the
step's weight decay with the frozen parameters left out, the optimizer, after_step (center, EMA).
StepResult.selected is the index into the candidates (selection) or the image index (fixed);
StepResult.chosen the rows trained on.
"""
from dataclasses import dataclass
from typing import Optional

import torch
from torch.nn.parallel import DistributedDataParallel

from .hvp import select


@dataclass
class StepResult:
    loss: float
    selected: torch.Tensor
    candidate_losses: Optional[torch.Tensor]
    chosen: Optional[list] = None


def prepare_distributed(run, dist):
    """The method learns which processes it spans (SimCLR gathers negatives); DDP wraps its forward."""
    run.method.dist = dist
    run.trainer = run.method
    if dist.is_distributed:
        ids = [dist.device.index] if dist.device.type == "cuda" else None
        run.trainer = DistributedDataParallel(run.method, device_ids=ids)


def shard_plan(plan, M, lo, hi, config):
    if plan[0] == "select":
        return plan
    return ("fixed", list(plan[1][lo:hi]))


def chosen_globals(plan, selected, M):
    """The chosen (even, odd) global ids of every image of the global batch, flat [M·2], for the
    telemetry: the selected candidate rows on a selection step, the plan's rows otherwise."""
    rows = [plan[2][int(i)] for i in selected] if plan[0] == "select" else plan[1]
    return [int(v) for r in rows[:M] for v in r[:2]]


def gather_pair(views, selected, n):
    """views [n·m, 3, S, S] view-major, selected [m] pair index → x1, x2 [m, 3, S, S]."""
    m = views.shape[0] // n
    pairs = torch.tensor([(k, l) for k in range(n) for l in range(k + 1, n)], device=views.device)  # [P, 2]
    kl = pairs[selected.to(views.device)]                                                          # [m, 2]
    rows = torch.arange(m, device=views.device)
    return views[kl[:, 0] * m + rows], views[kl[:, 1] * m + rows]


def train_step(run, views, locals_, plan, lr, step_index):
    method = run.method
    if hasattr(method, "combo_losses"):
        return _multicrop_step(run, views, locals_, plan, lr, step_index)
    n = _num_views(plan, run)
    losses = None
    if plan[0] == "select":
        losses = method.pair_losses(views, n)                                                  # [m, P]
        selected = select(losses, plan[1])
    else:
        selected = torch.tensor(plan[1], dtype=torch.long, device=views.device)
    x1, x2 = gather_pair(views, selected, n)
    for p in run.optimizer.params.values():
        p.grad = None
    loss = getattr(run, "trainer", method)(x1, x2)
    loss.backward()
    run.optimizer.step(lr)
    run.step = step_index + 1
    method.after_step(run.step, run.config["totalSteps"])
    return StepResult(loss=float(loss.detach()), selected=selected, candidate_losses=losses)


def _num_views(plan, run):
    """Views rendered per image: all N on selection / random steps, 2 on identity steps."""
    mode = run.config["hvpMode"]
    n = 2 if mode == "off" else run.config["numViews"]
    return n if (plan[0] == "select" or mode == "random") else 2


def _multicrop_step(run, globals_, locals_, plan, lr, step_index):
    from .multicrop_methods import gather_chosen
    from .views import sampled_crop_counts
    method, device = run.method, globals_.device
    method.begin_step(step_index)
    if locals_ is None:
        locals_ = globals_[:0]
    losses = None
    if plan[0] == "select":
        G, L = sampled_crop_counts(run.config)
        losses = method.combo_losses(globals_, locals_, G, L, plan[2])              # [M, C]
        selected = select(losses, plan[1])
        chosen_rows = [plan[2][i] for i in selected.tolist()]
    else:
        chosen_rows = [list(r) for r in plan[1]]
        selected = torch.arange(len(chosen_rows))
    chosen = torch.tensor(chosen_rows, dtype=torch.long, device=device)             # [M, 2+l]
    g, l = gather_chosen(globals_, locals_, chosen)
    weight_decay, frozen = method.step_optimization(step_index)
    for p in run.optimizer.params.values():
        p.grad = None
    loss = getattr(run, "trainer", method)(g, l, chosen)
    loss.backward()
    for name in frozen:
        if name in run.optimizer.params:
            run.optimizer.params[name].grad = None
    run.optimizer.step(lr, weight_decay)
    run.step = step_index + 1
    method.after_step(run.step, run.config["totalSteps"])
    return StepResult(loss=float(loss.detach()), selected=selected, candidate_losses=losses, chosen=chosen_rows)

"""`resume`: continue one of our runs in PyTorch from its checkpoint and its data files, on one
process or under torchrun, and write our checkpoint format back.

Reads top to bottom: processes (distributed.py) → checkpoint (checkpoint.py) → data, checked
against the checkpoint's fingerprint (data/) → the run's streams (plan.py) → per step: draw, render
this rank's shard of the views (views_render.py), one HVP step (step.py), telemetry and history →
kNN every knnEvery steps → save every --save-every steps and at the end (rank 0, atomic).

What continues exactly: the data order, the view and select streams (the same generator states as
the browser; a continuation on one process draws the same batches, views and random pairs as the
browser would have), weights, buffers, optimizer state, schedules and history. What differs: float
rounding of another engine, and with K processes BatchNorm normalises each shard unless --sync-bn.

API
  resume(opts) -> dict        opts: ResumeOptions; returns {"step", "out", "loss"}
  ResumeOptions(checkpoint, data, steps, out, device='auto', sync_bn=False, save_every=0,
                log=print, quiet=False)
  UserError(message, hint)    what the command line prints as "error: … / hint: …"
"""
import datetime
import os
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional

import torch

from . import distributed as D
from .data import DatasetImportError, DatasetTooSmallError, FileFormatError, fingerprint_dataset, fingerprint_mismatch, import_run_dataset
from .knn import knn_top1
from .plan import MULTI_CROP_METHODS, Streams, draw_step, shard_params
from .telemetry import multicrop_telemetry, pair_telemetry
from .views_render import CIFAR10_MEAN, CIFAR10_STD, render_views

PACKAGE_VERSION = "0.1.0"
MAX_HISTORY_RECORDS = 20_000
PAIR_STATS_KEPT = 64


class UserError(Exception):
    """A problem with the user's files or flags: the message says what, the hint what to do."""

    def __init__(self, message, hint=""):
        super().__init__(message)
        self.hint = hint


@dataclass
class ResumeOptions:
    checkpoint: str
    data: List[str]
    steps: Optional[int]
    out: str
    device: str = "auto"
    sync_bn: bool = False
    save_every: int = 0
    log: Callable[[str], None] = print
    quiet: bool = False


def _normalization(record):
    """The run's per-channel mean and std: record.dataset.normalization, else CIFAR-10's."""
    n = record.get("dataset", {}).get("normalization")
    if isinstance(n, dict) and isinstance(n.get("mean"), list) and isinstance(n.get("std"), list):
        return [float(v) for v in n["mean"]], [float(v) for v in n["std"]]
    return list(CIFAR10_MEAN), list(CIFAR10_STD)


def _target_step(asked, config, current):
    """--steps is the absolute step to stop at, capped at totalSteps (src/cli/commands/targetStep.ts)."""
    total = config["totalSteps"]
    asked = total if asked is None else asked
    target = min(asked, total)
    if target <= current:
        tail = f" (totalSteps is {total})" if target < asked else ""
        hint = "This run has finished its schedule; start a new run with a larger totalSteps." if target < asked else f"Pass a --steps larger than {current}."
        raise UserError(f"The run is at step {current} already, and --steps {asked} is the step to stop at (absolute), so there is nothing to train{tail}.", hint)
    return target, asked > total


def _push_metrics(history, m):
    """runHistory.ts pushMetrics: append, drop old pair histograms, thin past the cap."""
    history["metrics"].append(m)
    i = len(history["metrics"]) - 1 - PAIR_STATS_KEPT
    if i >= 0 and "pairStats" in history["metrics"][i]:
        history["metrics"][i] = {k: v for k, v in history["metrics"][i].items() if k != "pairStats"}
    if len(history["metrics"]) > MAX_HISTORY_RECORDS:
        half = len(history["metrics"]) // 2
        history["metrics"] = history["metrics"][:half][::2] + history["metrics"][half:]


def _load_dataset(opts, record, config, dist):
    if not opts.data:
        raise UserError(f"{opts.checkpoint} was trained on the dataset \"{record['dataset']['name']}\"; PyTorch needs its files.",
                        "Pass --data with the files the set was imported from (e.g. --data cifar-10-binary.tar.gz).")
    try:
        # Decoded at the size the set was imported at (record.dataset.height), not the view size.
        dataset = import_run_dataset(opts.data, config, name=record["dataset"]["name"], image_size=record["dataset"]["height"])
    except (DatasetImportError, FileFormatError) as e:
        raise UserError(str(e), "Check the --data paths: they must be the files the run's dataset was imported from.")
    except DatasetTooSmallError as e:
        raise UserError(str(e), e.hint)
    mismatch = fingerprint_mismatch(record["dataset"], fingerprint_dataset(dataset))
    if mismatch:
        raise UserError(f"{opts.checkpoint} does not fit the data: {mismatch}",
                        "Pass the same files the run was imported from; the run's datasetSeed and image counts fix the split.")
    if dist.is_main and dataset.skipped and not opts.quiet:
        opts.log(f"{len(dataset.skipped)} file(s) skipped, as in the browser: " + "; ".join(f"{s.path}: {s.reason}" for s in dataset.skipped[:6]))
    return dataset


def resume(opts: ResumeOptions):
    from . import checkpoint as ckpt
    from . import hvp, step as step_mod

    dist = D.init_distributed(opts.device)
    try:
        try:
            run = ckpt.load_run(opts.checkpoint, dist.device)
        except FileNotFoundError:
            raise UserError(f"{opts.checkpoint}: no such file.", "Give the path of a .safetensors checkpoint exported by HVP Playground or its CLI.")
        record = run.record
        config = record["config"]
        method = config["method"]
        current = record["progress"]["step"]
        target, capped = _target_step(opts.steps, config, current)
        if capped and dist.is_main:
            opts.log(f"warning: --steps {opts.steps} is past totalSteps {config['totalSteps']}, where the learning-rate schedule ends; training stops at step {config['totalSteps']}.")
        M = config["batchSize"]
        if M % dist.world_size:
            raise UserError(f"The run's batch of {M} images does not split evenly over {dist.world_size} processes.",
                            f"Use a --nproc_per_node that divides {M} (the global batch stays the run's batch).")
        dataset = _load_dataset(opts, record, config, dist)
        mean, std = _normalization(record)
        if opts.sync_bn and dist.is_distributed:
            D.convert_global_batchnorm(run.method)
        step_mod.prepare_distributed(run, dist)
        streams = Streams(record["progress"], dataset.train.images.shape[0], M)
        train_images = dataset.train.images.to(dist.device)                         # uint8 [n, H, W, 3]
        H, W = int(train_images.shape[1]), int(train_images.shape[2])
        lo, hi = dist.rank * (M // dist.world_size), (dist.rank + 1) * (M // dist.world_size)
        if hasattr(run.method, "shard_rows"):
            run.method.shard_rows(lo, hi - lo, M)            # iBOT draws its masks for the global batch, keeps its rows
        history = record["history"]
        is_multi = method in MULTI_CROP_METHODS
        if dist.is_main and not opts.quiet:
            opts.log(f"Resuming {method} at step {current} → {target} on {dist.world_size} process(es), {dist.device} "
                     f"({'global' if opts.sync_bn and dist.is_distributed else 'per-process'} BatchNorm), data \"{dataset.name}\" "
                     f"({dataset.train.images.shape[0]} + {dataset.test.images.shape[0]} images)")
        t_log = time.perf_counter()
        since_log = 0
        last = None
        for s in range(current, target):
            draw = draw_step(streams, config, s, H, W, hvp)
            local_idx = torch.tensor(draw.idx[lo:hi], dtype=torch.long, device=dist.device)
            images = train_images.index_select(0, local_idx)                           # [m, H, W, 3]
            globals_ = render_views(images, shard_params(draw.params, draw.rendered, M, lo, hi), config["imageSize"], mean, std)
            locals_ = None
            if is_multi and draw.rendered_locals > 0:
                locals_ = render_views(images, shard_params(draw.local_params, draw.rendered_locals, M, lo, hi), config["localSize"], mean, std)
            plan = step_mod.shard_plan(draw.plan, M, lo, hi, config)
            result = step_mod.train_step(run, globals_, locals_, plan, draw.lr, s)
            loss = float(D.all_mean(torch.tensor([float(result.loss)], device=dist.device), dist)[0])
            if loss != loss or loss in (float("inf"), float("-inf")):
                raise UserError(f"The loss is {loss} at step {s + 1}; nothing was saved over {opts.out}.",
                                f"Lower the learning rate (now {config['learningRate']}) and resume again from {opts.checkpoint}.")
            selected = D.gather_cat(torch.as_tensor(result.selected, device=dist.device).reshape(-1), dist).cpu().tolist()
            since_log += 1
            done = s + 1
            if done % config["logEvery"] == 0 or done == target:
                elapsed_ms = 1000 * (time.perf_counter() - t_log)
                ms = elapsed_ms / max(1, since_log)
                if is_multi:
                    chosen = step_mod.chosen_globals(draw.plan, selected, M)
                    tel = multicrop_telemetry(draw.params, draw.num_views, M, chosen, config["seed"], done)
                else:
                    pairs = selected if draw.plan[0] == "select" else draw.plan[1]
                    tel = pair_telemetry(draw.params, draw.num_views, M, pairs, config["seed"], done)
                mean_pair = chosen_pair = None
                if result.candidate_losses is not None:
                    # Both from the selection forward: the mean over all candidates and the chosen one's.
                    cand = result.candidate_losses.float()  # [M_local, P]
                    picked = cand.gather(1, torch.as_tensor(result.selected, device=cand.device).reshape(-1, 1).long())  # [M_local, 1]
                    both = D.all_mean(torch.stack([cand.mean(), picked.mean()]), dist)
                    mean_pair, chosen_pair = float(both[0]), float(both[1])
                m = {"step": done, "loss": loss, "meanPairLoss": mean_pair, "selectedPairLoss": chosen_pair, **tel, "isSelectionStep": draw.is_selection,
                     "learningRate": draw.lr, "imagesPerSec": (1000 * M / ms) if ms > 0 else 0, "msPerStep": ms}
                _push_metrics(history, m)
                if dist.is_main and not opts.quiet:
                    opts.log(f"step {done}/{target}  loss {loss:.4f}  selected IoU {tel['selectedIou']:.3f}  {ms:.0f} ms/step")
                t_log, since_log = time.perf_counter(), 0
            if config["knnEvery"] > 0 and dataset.train.labels is not None and (done % config["knnEvery"] == 0 or done == target):
                if dist.is_main:
                    top1, nb, nq = knn_top1(run.method.embed, dataset.train.images, dataset.train.labels, dataset.test.images, dataset.test.labels,
                                            k=config["knnK"], temperature=config["knnTemperature"], num_classes=len(dataset.class_names),
                                            mean=mean, std=std, num_bank=config["numKnnBankImages"], device=dist.device)
                    history["knn"].append({"step": done, "top1": top1, "numBank": nb, "numQueries": nq})
                    if not opts.quiet:
                        opts.log(f"step {done}: kNN top-1 {100 * top1:.1f}%")
                D.barrier(dist)
            last = loss
            if opts.save_every > 0 and done % opts.save_every == 0 and done != target:
                _save(ckpt, run, record, streams, done, opts.out, dist)
        _save(ckpt, run, record, streams, target, opts.out, dist)
        if dist.is_main and not opts.quiet:
            opts.log(f"Saved step {target} to {opts.out}")
        return {"step": target, "out": opts.out, "loss": last}
    finally:
        D.close(dist)


def _save(ckpt, run, record, streams, step, out, dist):
    """Rank 0 writes the checkpoint of `step` (atomic); the others wait for it."""
    if dist.is_main:
        record["progress"] = streams.progress(step)
        record["createdAt"] = datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
        record["backend"] = f"pytorch-{dist.device.type}" + (f"-ddp{dist.world_size}" if dist.is_distributed else "")
        ckpt.save_run(out, run, record)
    D.barrier(dist)

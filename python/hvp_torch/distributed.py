"""Many processes, one run: the torchrun / DistributedDataParallel plumbing of the continuation.

Under `torchrun --nproc_per_node=K` every process trains a shard of each global batch: the run's
batch M stays the global batch, rank r takes images [r*M/K, (r+1)*M/K) of it (so M must be a
multiple of K), selects its hard views on its own shard (per GPU, as the authors' code does), and
DistributedDataParallel averages the gradients, which equals the gradient of the mean loss over
the global batch. Cross-batch statistics that the method itself needs (DINO/iBOT's centre, SimCLR's
negatives) go through the all-reduce / all-gather helpers below.

BatchNorm: by default each process normalises over its own shard (torch's and the authors'
default). `--sync-bn` converts every BatchNorm to `GlobalBatchNorm`, which normalises over the
whole global batch with a differentiable all-reduce; it works on gloo (CPU) and NCCL (GPU) alike,
unlike torch 1.13's SyncBatchNorm, which refuses CPU tensors. With it a K-process step equals the
1-process step of the same global batch (the DDP parity test shows this).

API
  Dist: rank, world_size, local_rank, device, is_main, is_distributed
  init_distributed(device_arg) -> Dist        reads torchrun's RANK/WORLD_SIZE/LOCAL_RANK
  shard(x, dist) -> x[rank-th slice]          along dim 0, equal slices
  all_mean(x, dist) -> x averaged over ranks  (not differentiable; for statistics)
  gather_cat(x, dist) -> cat over ranks        differentiable all-gather along dim 0
  convert_global_batchnorm(module) -> module  BatchNorm1d/2d → GlobalBatchNorm, weights kept
  barrier(dist), close(dist)
"""
import os
from dataclasses import dataclass

import torch
import torch.distributed as torch_dist
import torch.distributed.nn.functional as dist_fn
from torch import nn


@dataclass
class Dist:
    rank: int
    world_size: int
    local_rank: int
    device: torch.device

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def is_distributed(self) -> bool:
        return self.world_size > 1


class DistributedSetupError(Exception):
    """torchrun's environment or the device request cannot work; the message says what to change."""


def _env_int(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise DistributedSetupError(f"{name}={raw!r} is not a whole number; start the command with torchrun, or unset {name}.")


def init_distributed(device_arg="auto") -> Dist:
    """One process (no torchrun) or a process group from torchrun's environment.

    device_arg: 'auto' (CUDA when available, else CPU), 'cuda' or 'cpu'. NCCL on CUDA, gloo on CPU.
    """
    world_size = _env_int("WORLD_SIZE", 1)
    rank = _env_int("RANK", 0)
    local_rank = _env_int("LOCAL_RANK", 0)
    if device_arg not in ("auto", "cuda", "cpu"):
        raise DistributedSetupError(f"--device {device_arg}: use auto, cuda or cpu.")
    use_cuda = torch.cuda.is_available() if device_arg == "auto" else device_arg == "cuda"
    if use_cuda and not torch.cuda.is_available():
        raise DistributedSetupError("--device cuda: this PyTorch sees no CUDA GPU (torch.cuda.is_available() is False). Use --device cpu, or install a CUDA build of PyTorch.")
    if use_cuda:
        if local_rank >= torch.cuda.device_count():
            raise DistributedSetupError(f"LOCAL_RANK {local_rank} but only {torch.cuda.device_count()} CUDA device(s) are visible; lower --nproc_per_node.")
        torch.cuda.set_device(local_rank)
        device = torch.device("cuda", local_rank)
    else:
        device = torch.device("cpu")
    if world_size > 1 and not torch_dist.is_initialized():
        torch_dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    return Dist(rank=rank, world_size=world_size, local_rank=local_rank, device=device)


def shard(x, dist: Dist):
    """Rank r's equal slice of x along dim 0 (the caller checked divisibility)."""
    if not dist.is_distributed:
        return x
    n = x.shape[0] // dist.world_size
    return x[dist.rank * n:(dist.rank + 1) * n]


def all_mean(x, dist: Dist):
    """x averaged over the ranks (statistics such as DINO's centre; no gradient)."""
    if not dist.is_distributed:
        return x
    y = x.detach().clone()
    torch_dist.all_reduce(y)
    return y / dist.world_size


def gather_cat(x, dist: Dist):
    """The ranks' x concatenated along dim 0, rank order; gradients flow back to every rank's part."""
    if not dist.is_distributed:
        return x
    return torch.cat(dist_fn.all_gather(x), dim=0)


class GlobalBatchNorm(nn.modules.batchnorm._BatchNorm):
    """BatchNorm over the global batch of all ranks: per-channel sum, sum of squares and count are
    all-reduced (differentiably), then normalised as nn.BatchNorm does (biased variance for the
    output, unbiased for the running variance, same momentum). Equal to a plain BatchNorm when
    there is one process. Accepts [B, C] and [B, C, H, W]."""

    def _check_input_dim(self, x):
        if x.dim() not in (2, 3, 4):
            raise ValueError(f"GlobalBatchNorm expects 2-D to 4-D input, got {x.dim()}-D")

    def forward(self, x):
        self._check_input_dim(x)
        if not (self.training and torch_dist.is_available() and torch_dist.is_initialized() and torch_dist.get_world_size() > 1):
            return super().forward(x)
        dims = [0] + list(range(2, x.dim()))
        shape = [1, -1] + [1] * (x.dim() - 2)
        count = torch.tensor([float(x.numel() // x.shape[1])], device=x.device, dtype=x.dtype)
        stats = torch.cat([x.sum(dims), (x * x).sum(dims), count])                  # [2C + 1]
        stats = dist_fn.all_reduce(stats)
        c = x.shape[1]
        n = stats[2 * c]
        mean = stats[:c] / n
        var = stats[c:2 * c] / n - mean * mean                                      # biased
        if self.track_running_stats:
            with torch.no_grad():
                if self.num_batches_tracked is not None:
                    self.num_batches_tracked.add_(1)
                m = self.momentum if self.momentum is not None else 1.0 / float(self.num_batches_tracked)
                self.running_mean.mul_(1 - m).add_(m * mean.detach())
                self.running_var.mul_(1 - m).add_(m * var.detach() * n / max(float(n) - 1, 1.0))
        y = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + self.eps)
        if self.affine:
            y = y * self.weight.view(shape) + self.bias.view(shape)
        return y


def convert_global_batchnorm(module: nn.Module) -> nn.Module:
    """Every BatchNorm1d/2d of `module` replaced by a GlobalBatchNorm holding the same tensors."""
    if isinstance(module, nn.modules.batchnorm._BatchNorm) and not isinstance(module, GlobalBatchNorm):
        out = GlobalBatchNorm(module.num_features, module.eps, module.momentum, module.affine, module.track_running_stats)
        if module.affine:
            out.weight = module.weight
            out.bias = module.bias
        out.running_mean = module.running_mean
        out.running_var = module.running_var
        out.num_batches_tracked = module.num_batches_tracked
        out.train(module.training)
        return out
    for name, child in list(module.named_children()):
        setattr(module, name, convert_global_batchnorm(child))
    return module


def barrier(dist: Dist):
    if dist.is_distributed:
        torch_dist.barrier()


def close(dist: Dist):
    if dist.is_distributed and torch_dist.is_initialized():
        torch_dist.destroy_process_group()

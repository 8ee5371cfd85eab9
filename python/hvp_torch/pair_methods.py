"""SimSiam, SimCLR and BYOL as the HVP step sees them — the PairMethod contract of
src/core/methods/pairMethod.ts in torch:

  pair_losses(views, N)   selection forward of all N·M views (BN in training mode, running stats
                          updated, no gradient) → per-sample loss of every pair [M, P]
  forward(x1, x2)         the training loss of the chosen views (what DistributedDataParallel wraps)
  after_step(done, total) what follows the optimizer step (BYOL's EMA target)
  embed(x)                backbone features in eval mode, for kNN
  is_no_decay(name)       parameters without weight decay (SGD / AdamW; LARS excludes rank ≤ 1);
                          names are those of `.net`, the module whose state_dict is the checkpoint's

Losses, exactly as src/core/methods/{simsiam,simclr,byol}.ts:
  D(p, z) = −cos(p, stopgrad z) (norms clamped at 1e-8);
  SimSiam training ½(mean D(p1,z2) + mean D(p2,z1)); pair (k,l) ½(D(p_k,z_l) + D(p_l,z_k)); views
    forwarded separately in training;
  SimCLR NT-Xent with in-batch negatives (temperature T); pair (k,l) = ½(row k + row l) with
    negatives from that pair's 2M views; the two training views forwarded together;
  BYOL L = 2 − 2cos (= 2D + 2); target in training-mode BN; EMA τ_k = 1 − (1 − τ0)(cos(πk/K)+1)/2
    with k the 0-based index of the step just taken, target ← target + (1 − τ)(online − target).
Under torchrun, SimCLR gathers the projections of every process (differentiably) so its
negatives are the global batch's, as on one process; `dist` is set by step.prepare_distributed.

API
  make_pair_method(config) -> PairMethodModule (SimSiam | SimClr | Byol)
  pair_list(n) -> [(k, l)]
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

from .distributed import Dist, gather_cat
from .models import ByolNet, SimClrNet, SimSiamNet

COS_EPS = 1e-8
SELF_MASK = -1e9


def pair_list(n):
    return [(k, l) for k in range(n) for l in range(k + 1, n)]


def l2_normalize(x):                                              # rows to unit norm, clamp 1e-8
    return x * torch.rsqrt(torch.clamp((x * x).sum(-1, keepdim=True), min=COS_EPS * COS_EPS))


def neg_cosine(p, z):                                             # [B, D] × [B, D] → [B]
    return -(l2_normalize(p) * l2_normalize(z.detach())).sum(-1)


def neg_cosine_pairs(p, z, n):
    """½(D(p_k, z_l) + D(p_l, z_k)) for every pair; p, z: [N·M, D] view-major → [M, P]."""
    M = p.shape[0] // n
    pn = l2_normalize(p).view(n, M, -1).transpose(0, 1)           # [M, N, D]
    zn = l2_normalize(z.detach()).view(n, M, -1).transpose(0, 1)  # [M, N, D]
    cos = pn @ zn.transpose(1, 2)                                  # [M, N, N]: cos(p_k, z_l)
    pairs = pair_list(n)
    kl = torch.tensor([k * n + l for k, l in pairs], device=p.device)
    lk = torch.tensor([l * n + k for k, l in pairs], device=p.device)
    flat = cos.reshape(M, n * n)
    return -0.5 * (flat[:, kl] + flat[:, lk])                      # [M, P]


def nt_xent_rows(za, zb, t):
    """NT-Xent row losses of B independent pairs: za, zb [B, M, D] → [B, 2M] (src/core/methods/simclr.ts)."""
    M = za.shape[1]
    z = l2_normalize(torch.cat([za, zb], 1))                       # [B, 2M, D]
    sim = z @ z.transpose(1, 2) / t                                # [B, 2M, 2M]
    logits = sim + torch.eye(2 * M, device=z.device) * SELF_MASK
    pos = (torch.arange(2 * M, device=z.device) + M) % (2 * M)
    logp = torch.log_softmax(logits, -1)
    return -logp.gather(-1, pos.view(1, -1, 1).expand(z.shape[0], -1, 1)).squeeze(-1)


class PairMethodModule(nn.Module):
    dist: Dist = None

    def _gather_views(self, z, n):
        """View-major [n·m, D] of this process → view-major [n·M, D] of the global batch."""
        if self.dist is None or not self.dist.is_distributed:
            return z
        m = z.shape[0] // n
        parts = gather_cat(z.reshape(1, n * m, -1), self.dist)                         # [K, n·m, D]
        return parts.view(self.dist.world_size, n, m, -1).transpose(0, 1).reshape(n * m * self.dist.world_size, -1)

    def after_step(self, done, total_steps):
        pass

    def is_no_decay(self, name):
        """BN affine and biases (bnRegistry.isNoDecay + the ResNet backbone's BN affine)."""
        if name.endswith(".bias"):
            return True
        module = self.net.get_submodule(name.rsplit(".", 1)[0])
        return isinstance(module, nn.modules.batchnorm._BatchNorm)

    @torch.no_grad()
    def embed(self, x):
        was = self.training
        self.eval()
        f = self.net.backbone(x)
        self.train(was)
        return f


class SimSiam(PairMethodModule):
    def __init__(self, config):
        super().__init__()
        self.net = SimSiamNet(config)

    @torch.no_grad()
    def pair_losses(self, views, n):
        z, p = self.net(views)
        return neg_cosine_pairs(p, z, n)

    def forward(self, x1, x2):
        z1, p1 = self.net(x1)
        z2, p2 = self.net(x2)
        return 0.5 * (neg_cosine(p1, z2).mean() + neg_cosine(p2, z1).mean())


class SimClr(PairMethodModule):
    def __init__(self, config):
        super().__init__()
        self.net = SimClrNet(config)
        self.temperature = config["temperature"]

    @torch.no_grad()
    def pair_losses(self, views, n):
        z = self.net(views)                                        # [n·m, D]
        zg = self._gather_views(z, n)                              # [n·M, D]
        M = zg.shape[0] // n
        pairs = pair_list(n)
        zv = zg.view(n, M, -1)
        rows = nt_xent_rows(zv[[k for k, _ in pairs]], zv[[l for _, l in pairs]], self.temperature)  # [P, 2M]
        losses = (0.5 * (rows[:, :M] + rows[:, M:])).T            # [M, P]
        if self.dist is not None and self.dist.is_distributed:
            m = z.shape[0] // n
            losses = losses[self.dist.rank * m:(self.dist.rank + 1) * m]
        return losses

    def forward(self, x1, x2):
        m = x1.shape[0]
        z = self.net(torch.cat([x1, x2], 0))                       # [2m, D]
        z1, z2 = z[:m], z[m:]
        if self.dist is not None and self.dist.is_distributed:
            # Every process computes the global loss; all_gather's backward sums the K processes'
            # gradients into each shard (K × ∂L/∂z_r), and DDP's average over K gives ∂L/∂θ.
            z1, z2 = gather_cat(z1, self.dist), gather_cat(z2, self.dist)
        return nt_xent_rows(z1[None], z2[None], self.temperature).mean()


class Byol(PairMethodModule):
    def __init__(self, config):
        super().__init__()
        self.net = ByolNet(config)
        self.base_momentum = config["emaMomentum"]

    @torch.no_grad()
    def pair_losses(self, views, n):
        p = self.net(views)
        z = self.net.target(views)
        return 2 * neg_cosine_pairs(p, z, n) + 2

    def forward(self, x1, x2):
        p1, p2 = self.net(x1), self.net(x2)
        with torch.no_grad():
            t1, t2 = self.net.target(x1), self.net.target(x2)
        return 0.5 * ((2 * neg_cosine(p1, t2) + 2).mean() + (2 * neg_cosine(p2, t1) + 2).mean())

    @torch.no_grad()
    def after_step(self, done, total_steps):
        k = min(max(done - 1, 0), max(1, total_steps))
        tau = 1 - (1 - self.base_momentum) * (math.cos(math.pi * k / max(1, total_steps)) + 1) / 2
        online = dict(self.net.named_parameters())
        for name, t in self.net.target.named_parameters():
            o = online[name]
            t.add_((o - t) * (1 - tau))


def make_pair_method(config):
    kinds = {"simsiam": SimSiam, "simclr": SimClr, "byol": Byol}
    return kinds[config["method"]](config)

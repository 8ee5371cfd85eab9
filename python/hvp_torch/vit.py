"""Our ViT backbone (src/core/models/vit.ts, transformerLayers.ts, vitPosEmbed.ts) in torch, with
timm's names (patch_embed.proj, cls_token, pos_embed, blocks.i.{norm1,attn.qkv,attn.proj,norm2,
mlp.fc1,mlp.fc2}, norm; iBOT's masked_embed [1, D]) so a checkpoint's `backbone.*` loads strictly.
Pre-norm blocks, LayerNorm eps 1e-6, exact GELU, MLP width 4D, q scaled by head_dim^-0.5; features
= the CLS token after the final norm. Views of another size (multiples of the patch) get pos_embed's
patch rows resized by the same bicubic matrix as ours (A = −0.75, scale (g' + 0.1)/g, clamped taps).
drop_path exactly as ours: block i rate dropPath·i/(depth−1); in a training forward, one Rng per
forward call, seeded derive_seed(init seed, f"drop_path:{prefix}:{step}:{call}") (models/backbone.ts
forwardNoiseSeed), blocks in order, attention branch then MLP branch, per sample
rng.next() < keep ? 1/keep : 0. begin_step(s) resets the call counter; `seed` and `prefix` are set
by the method (checkpoint.py: derive_seed(config.seed, 'init')). Under torchrun the method sets
`noise_rows = (lo, m, M_total)` (its shard_rows): every process draws the global batch's uniforms
and keeps its own rows, so K processes drop what one process drops.

API
  VisionTransformer(config, has_masked_embed=False, prefix='backbone.')
    forward(x [B,3,S',S']) -> CLS [B, D];  forward_tokens(x, mask [B,T'] | None) -> (CLS, patches [B,T',D])
    begin_step(step_index);  is_no_decay(name) (biases, norms, cls_token, pos_embed)
  pos_embed_resize_matrix(out_grid, in_grid) -> float32 [out², in²]
"""
import math

import numpy as np
import torch
from torch import nn

from .random import create_rng, derive_seed

CUBIC_A = -0.75


def _cubic(t):
    near = lambda x: ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1          # noqa: E731
    far = lambda x: ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A  # noqa: E731
    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def _bicubic_matrix(out_size, in_size, scale):
    w = np.zeros((out_size, in_size), dtype=np.float64)
    for o in range(out_size):
        src = (o + 0.5) / scale - 0.5
        base = math.floor(src)
        for k, tap in enumerate(_cubic(src - base)):
            w[o, min(max(base - 1 + k, 0), in_size - 1)] += tap
    return w


def pos_embed_resize_matrix(out_grid, in_grid):
    if out_grid == in_grid:
        return torch.eye(in_grid * in_grid)
    w1 = _bicubic_matrix(out_grid, in_grid, (out_grid + 0.1) / in_grid)       # [g', g]
    w = np.einsum("ri,cj->rcij", w1, w1).reshape(out_grid * out_grid, in_grid * in_grid)
    return torch.from_numpy(w.astype(np.float32))


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = ((q * (C // self.heads) ** -0.5) @ k.transpose(-2, -1)).softmax(-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(B, N, C))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1, self.act, self.fc2 = nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1, self.attn = nn.LayerNorm(dim, eps=1e-6), Attention(dim, heads)
        self.norm2, self.mlp = nn.LayerNorm(dim, eps=1e-6), Mlp(dim, 4 * dim)


class VisionTransformer(nn.Module):
    def __init__(self, config, has_masked_embed=False, prefix="backbone."):
        super().__init__()
        D, p = config["vitDim"], config["vitPatchSize"]
        self.patch, self.grid = p, config["imageSize"] // p
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(3, D, kernel_size=p, stride=p)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, D))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + self.grid ** 2, D))
        depth = config["vitDepth"]
        self.blocks = nn.ModuleList([Block(D, config["vitHeads"]) for _ in range(depth)])
        self.norm = nn.LayerNorm(D, eps=1e-6)
        if has_masked_embed:
            self.masked_embed = nn.Parameter(torch.zeros(1, D))
        self.rates = [config["vitDropPath"] * i / (depth - 1) if depth > 1 else 0.0 for i in range(depth)]
        self.feature_dim = D
        self.seed, self.prefix = derive_seed(config["seed"], "init"), prefix
        self.step_index, self.call = None, 0
        self.noise_rows = None                       # (lo, m, M_total) under torchrun: see _mask

    def begin_step(self, step_index):
        self.step_index, self.call = step_index, 0

    def is_no_decay(self, name):
        return name.endswith(".bias") or name in ("cls_token", "pos_embed") or ".norm" in f".{name}"

    def _mask(self, rng, B, rate, device):
        """drop_path multipliers [B, 1, 1]. With noise_rows = (lo, m, M_total) (a process holding images
        lo … lo + m − 1 of the global batch; rows view-major, B = V·m) the uniforms of all V·M_total rows
        of the global batch are drawn and this process's rows kept, so K processes draw what one does."""
        if rng is None or rate == 0:
            return None
        keep = 1 - rate
        rows, n = range(B), B
        if self.noise_rows is not None:
            lo, m, total = self.noise_rows
            rows, n = [(r // m) * total + lo + r % m for r in range(B)], (B // m) * total
        draws = [1 / keep if rng.next() < keep else 0.0 for _ in range(n)]
        return torch.tensor([draws[r] for r in rows], dtype=torch.float32, device=device).view(B, 1, 1)

    def forward_tokens(self, x, mask=None):
        B, grid = x.shape[0], x.shape[-1] // self.patch
        t = self.patch_embed.proj(x).flatten(2).transpose(1, 2)               # [B, T', D]
        if mask is not None:
            m = mask.to(t.dtype).unsqueeze(-1)
            t = t * (1 - m) + m * self.masked_embed.view(1, 1, -1)
        pos = self.pos_embed
        if grid != self.grid:
            w = pos_embed_resize_matrix(grid, self.grid).to(x.device)
            pos = torch.cat([pos[:, :1], (w @ pos[0, 1:])[None]], 1)
        h = torch.cat([self.cls_token.expand(B, -1, -1), t], 1) + pos
        rng = None
        if self.training and any(r > 0 for r in self.rates):
            if self.step_index is None:
                raise RuntimeError("ViT with drop_path: call begin_step before a training forward")
            rng = create_rng(derive_seed(self.seed, f"drop_path:{self.prefix}:{self.step_index}:{self.call}"))
            self.call += 1
        for blk, rate in zip(self.blocks, self.rates):
            a = blk.attn(blk.norm1(h))
            ma = self._mask(rng, B, rate, x.device)
            h = h + (a if ma is None else a * ma)
            f = blk.mlp(blk.norm2(h))
            mf = self._mask(rng, B, rate, x.device)
            h = h + (f if mf is None else f * mf)
        h = self.norm(h)
        return h[:, 0], h[:, 1:]

    def forward(self, x):
        return self.forward_tokens(x)[0]

"""PyTorch side of tests/ibotInterop.test.ts: a plain-torch iBOT (no timm, no ibot package) with the
module names of facebookresearch/ibot, loaded strictly from our exported state dict, scoring views
with the authors' per-sample formula (iBOTLoss.hvs).

argv: state.safetensors (the method's full state dict: backbone.*, head.*, teacher.*, center, center2),
inputs.safetensors (globals [G·M, 3, S, S], locals [L·M, 3, Sl, Sl], masks [G·M, g, g], combos [C, 2 + l]),
then num_heads, G, L, teacher_temp, teacher_patch_temp, student_temp, patch_weight.
Student and teacher load with load_state_dict(strict=True) (the student has masked_embed, the teacher
not, as iBOT's). Prints one JSON line: terms [M, G, G + L] (CLS CE off the diagonal, masked-patch term
on it) and scores [M, C].
The ViT follows iBOT's vision_transformer.py: masked patch embeddings replaced by masked_embed before
the CLS token and pos_embed (mask_model), pos_embed bicubically resized for other view sizes
(interpolate_pos_encoding), pre-norm blocks, LayerNorm eps 1e-6, exact GELU. The head follows
iBOTHead(shared_head=False): one MLP on every token, l2-normalised, weight-normed last_layer (CLS) and
last_layer2 (patches). Eval mode, no drop_path.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from load_checkpoint import read_safetensors  # noqa: E402


class Attention(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = ((q * (C // self.num_heads) ** -0.5) @ k.transpose(-2, -1)).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(B, N, C))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, num_heads, hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, hidden)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class VisionTransformer(nn.Module):
    def __init__(self, patch, dim, num_tokens, depth, num_heads, hidden, masked):
        super().__init__()
        self.patch = patch
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + num_tokens, dim))
        self.blocks = nn.ModuleList([Block(dim, num_heads, hidden) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        if masked:
            self.masked_embed = nn.Parameter(torch.zeros(1, dim))

    def pos_for(self, x, w, h):
        n = self.pos_embed.shape[1] - 1
        if x.shape[1] - 1 == n and w == h:
            return self.pos_embed
        g = int(n ** 0.5)
        dim = x.shape[-1]
        w0, h0 = w // self.patch + 0.1, h // self.patch + 0.1
        grid = self.pos_embed[:, 1:].reshape(1, g, g, dim).permute(0, 3, 1, 2)
        grid = F.interpolate(grid, scale_factor=(w0 / g, h0 / g), mode="bicubic")
        return torch.cat((self.pos_embed[:, :1], grid.permute(0, 2, 3, 1).reshape(1, -1, dim)), dim=1)

    def forward(self, x, mask=None):
        B, _, w, h = x.shape
        x = self.patch_embed.proj(x)  # [B, D, g, g]
        if mask is not None:
            x = x.permute(0, 2, 3, 1).clone()
            x[mask] = self.masked_embed.to(x.dtype)
            x = x.permute(0, 3, 1, 2)
        x = x.flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(B, -1, -1), x], dim=1)
        x = x + self.pos_for(x, w, h)
        for blk in self.blocks:
            x = blk(x)
        return self.norm(x)  # [B, 1 + T, D]


class IBOTHead(nn.Module):
    def __init__(self, dim, hidden, bottleneck, out_dim, patch_out_dim):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, bottleneck))
        self.last_layer = nn.utils.weight_norm(nn.Linear(bottleneck, out_dim, bias=False))
        self.last_layer2 = nn.utils.weight_norm(nn.Linear(bottleneck, patch_out_dim, bias=False))

    def forward(self, x):
        x = F.normalize(self.mlp(x), dim=-1, p=2)
        return self.last_layer(x[:, 0]), self.last_layer2(x[:, 1:])


class Network(nn.Module):
    def __init__(self, state, prefix, heads, masked):
        super().__init__()
        b = prefix + "backbone."
        dim = state[b + "cls_token"].shape[-1]
        depth = len({k[len(b):].split(".")[1] for k in state if k.startswith(b + "blocks.")})
        self.backbone = VisionTransformer(state[b + "patch_embed.proj.weight"].shape[-1], dim, state[b + "pos_embed"].shape[1] - 1, depth, heads,
                                          state[b + "blocks.0.mlp.fc1.weight"].shape[0], masked)
        h = prefix + "head."
        self.head = IBOTHead(dim, state[h + "mlp.0.weight"].shape[0], state[h + "mlp.4.weight"].shape[0], state[h + "last_layer.weight_v"].shape[0],
                             state[h + "last_layer2.weight_v"].shape[0])
        own = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix) and (prefix or not k.startswith("teacher.")) and k not in ("center", "center2")}
        self.load_state_dict(own, strict=True)

    def forward(self, x, mask=None):
        return self.head(self.backbone(x, mask))


tensors, _ = read_safetensors(sys.argv[1])
inputs, _ = read_safetensors(sys.argv[2])
heads, G, L = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
t_temp, t_patch_temp, s_temp, patch_weight = map(float, sys.argv[6:10])
student = Network(tensors, "", heads, True).eval()
teacher = Network(tensors, "teacher.", heads, False).eval()
center, center2 = tensors["center"], tensors["center2"]
globals_, locals_, masks, combos = inputs["globals"], inputs["locals"], inputs["masks"].bool(), inputs["combos"].long()
M = globals_.shape[0] // G
with torch.no_grad():
    t_cls, t_patch = teacher(globals_)
    s_cls, s_patch = student(globals_, masks)
    s_cls = torch.cat([s_cls, student(locals_)[0]]) if L > 0 else s_cls
    q_cls = F.softmax((t_cls - center) / t_temp, dim=-1).chunk(G)
    q_patch = F.softmax((t_patch - center2) / t_patch_temp, dim=-1).chunk(G)
    ls_cls = F.log_softmax(s_cls / s_temp, dim=-1).chunk(G + L)
    ls_patch = F.log_softmax(s_patch / s_temp, dim=-1).chunk(G)
    flat = masks.flatten(1).float().chunk(G)
    terms = torch.zeros(M, G, G + L, dtype=torch.float64)
    for q in range(G):
        for v in range(G + L):
            if v == q:
                per_patch = torch.sum(-q_patch[q] * ls_patch[v], dim=-1)  # [M, T]
                terms[:, q, v] = (torch.sum(per_patch * flat[q], dim=-1) / flat[q].sum(dim=-1).clamp(min=1.0)).double()
            else:
                terms[:, q, v] = torch.sum(-q_cls[q] * ls_cls[v], dim=-1).double()
    scores = torch.zeros(M, combos.shape[0], dtype=torch.float64)
    for c, row in enumerate(combos.tolist()):
        a, b, locs = row[0], row[1], row[2:]
        views = [a, b] + [G + l for l in locs]
        l1 = [terms[:, q, v] for q in (a, b) for v in views if v != q]
        scores[:, c] = sum(l1) / len(l1) + patch_weight * (terms[:, a, a] + terms[:, b, b]) / 2
print(json.dumps({"terms": terms.flatten().tolist(), "scores": scores.flatten().tolist()}))

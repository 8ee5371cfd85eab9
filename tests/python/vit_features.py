"""PyTorch side of tests/vitInterop.test.ts: a plain-torch ViT (no timm) with timm's module names.

argv: input.safetensors (key "input": NCHW float32 images), num_heads, then one or more files (an
exported backbone with bare timm keys, or a full checkpoint whose backbone sits under "backbone.").
The model's shape is read from the state dict (dim from cls_token, patch from the conv kernel,
tokens from pos_embed, depth from the block keys, MLP width from fc1); the heads cannot be, so they
are an argument. load_state_dict(strict=True): any missing or unexpected key, or a wrong shape,
fails here. Prints one JSON line with the eval-mode CLS features of every file.
The forward follows timm's VisionTransformer (global_pool='token', pre-norm blocks, LayerNorm
eps 1e-6, exact GELU, q scaled by head_dim^-0.5); drop_path is not needed in eval mode.
"""
import json
import os
import sys

import torch
from torch import nn

sys.dont_write_bytecode = True  # no __pycache__ in the repository's python/ folder
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from load_checkpoint import backbone_state, read_safetensors  # noqa: E402


class Attention(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # [B, heads, N, head_dim]
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
    def __init__(self, patch, dim, num_tokens, depth, num_heads, hidden):
        super().__init__()
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + num_tokens, dim))
        self.blocks = nn.ModuleList([Block(dim, num_heads, hidden) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    def forward(self, x):
        x = self.patch_embed.proj(x).flatten(2).transpose(1, 2)  # [B, T, D], row-major over the patch grid
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        for blk in self.blocks:
            x = blk(x)
        return self.norm(x)[:, 0]


def load_vit(state, num_heads):
    dim = state["cls_token"].shape[-1]
    patch = state["patch_embed.proj.weight"].shape[-1]
    depth = len({k.split(".")[1] for k in state if k.startswith("blocks.")})
    model = VisionTransformer(patch, dim, state["pos_embed"].shape[1] - 1, depth, num_heads, state["blocks.0.mlp.fc1.weight"].shape[0])
    model.load_state_dict(state, strict=True)
    return model.eval()


x = read_safetensors(sys.argv[1])[0]["input"]
heads = int(sys.argv[2])
results = []
for path in sys.argv[3:]:
    tensors, metadata = read_safetensors(path)
    state = backbone_state(tensors)
    model = load_vit(state, heads)
    with torch.no_grad():
        features = model(x)
    results.append({"features": features.flatten().tolist(), "shape": list(features.shape), "keys": sorted(state), "metadata": metadata})
print(json.dumps({"torch": torch.__version__, "results": results}))

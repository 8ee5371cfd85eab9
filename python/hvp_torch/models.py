"""The networks of our runs as torch modules whose state_dict keys are our checkpoint's tensor
names, so `load_state_dict(strict=True)` takes a checkpoint's model tensors as they are:

  backbone.*                 CIFAR ResNet from torchvision BasicBlocks (src/core/models/resnetCifar.ts):
                             3×3 stride-1 stem, no max-pool, stages w, 2w, 4w, 8w, pooled features [B, 8w]
  projector.*, predictor.*   nn.Sequential heads, indices as ours (src/core/models/simsiamModel.ts, mlpHead.ts):
                             0 Linear, 1 BatchNorm1d, 2 ReLU, 3 Linear, [4 BatchNorm1d]
  target.backbone.*, target.projector.*   BYOL's EMA target (src/core/models/byolModel.ts)

BatchNorm is torch's (eps 1e-5, momentum 0.1, biased variance to normalise, unbiased for the
running variance), which is exactly ours (src/core/models/layers.ts). The ViT backbone is not here
yet: a ViT run is refused with a message (checkpoint.py).

API
  cifar_resnet(backbone: 'resnet10'|'resnet18', width) -> nn.Module   x [B,3,S,S] → [B, 8w]
  mlp_head(in_dim, hidden, out_dim, out_bias, out_bn, out_bn_affine=True) -> nn.Sequential
  SimSiamNet, SimClrNet, ByolNet(config)   modules with .backbone and the method's heads
"""
import torch
from torch import nn
from torchvision.models.resnet import BasicBlock, conv1x1

LAYOUTS = {"resnet10": (1, 1, 1, 1), "resnet18": (2, 2, 2, 2)}


class CifarResNet(nn.Module):
    """torchvision's ResNet layout with the CIFAR stem and no classifier."""

    def __init__(self, layout, width):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        inplanes = width
        for i, num_blocks in enumerate(layout):
            planes, blocks = width * 2 ** i, []
            for b in range(num_blocks):
                stride = 2 if i > 0 and b == 0 else 1
                down = None
                if stride != 1 or inplanes != planes:
                    down = nn.Sequential(conv1x1(inplanes, planes, stride), nn.BatchNorm2d(planes))
                blocks.append(BasicBlock(inplanes, planes, stride, down))
                inplanes = planes
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
        self.feature_dim = inplanes

    def forward(self, x):                                       # x: [B, 3, S, S]
        h = self.relu(self.bn1(self.conv1(x)))
        h = self.layer4(self.layer3(self.layer2(self.layer1(h))))
        return h.mean(dim=(2, 3))                               # [B, 8w]


def cifar_resnet(backbone, width):
    if backbone not in LAYOUTS:
        raise ValueError(f"backbone {backbone!r}: hvp_torch has {', '.join(LAYOUTS)}")
    return CifarResNet(LAYOUTS[backbone], width)


def mlp_head(in_dim, hidden, out_dim, out_bias, out_bn, out_bn_affine=True):
    layers = [nn.Linear(in_dim, hidden, bias=False), nn.BatchNorm1d(hidden), nn.ReLU(inplace=True), nn.Linear(hidden, out_dim, bias=out_bias)]
    if out_bn:
        layers.append(nn.BatchNorm1d(out_dim, affine=out_bn_affine))
    return nn.Sequential(*layers)


class SimSiamNet(nn.Module):
    """SimSiam: projector Linear−BN−ReLU−Linear−BN(affine=False), predictor Linear−BN−ReLU−Linear(bias)."""

    def __init__(self, config):
        super().__init__()
        self.backbone = cifar_resnet(config["backbone"], config["backboneWidth"])
        f, d, h = self.backbone.feature_dim, config["projDim"], config["predHiddenDim"]
        self.projector = mlp_head(f, f, d, out_bias=False, out_bn=True, out_bn_affine=False)
        self.predictor = mlp_head(d, h, d, out_bias=True, out_bn=False)

    def forward(self, x):                                        # → z [B, D], p [B, D]
        z = self.projector(self.backbone(x))
        return z, self.predictor(z)


class SimClrNet(nn.Module):
    """SimCLR: projector Linear−BN−ReLU−Linear−BN (src/core/models/simclrModel.ts)."""

    def __init__(self, config):
        super().__init__()
        self.backbone = cifar_resnet(config["backbone"], config["backboneWidth"])
        f = self.backbone.feature_dim
        self.projector = mlp_head(f, f, config["projDim"], out_bias=False, out_bn=True)

    def forward(self, x):                                        # → z [B, D]
        return self.projector(self.backbone(x))


class ByolTarget(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.backbone = cifar_resnet(config["backbone"], config["backboneWidth"])
        f = self.backbone.feature_dim
        self.projector = mlp_head(f, f, config["projDim"], out_bias=True, out_bn=False)

    def forward(self, x):                                        # → z' [B, D]
        return self.projector(self.backbone(x))


class ByolNet(nn.Module):
    """BYOL: online backbone + projector + predictor; the target (EMA, no gradient) under `target.`."""

    def __init__(self, config):
        super().__init__()
        self.backbone = cifar_resnet(config["backbone"], config["backboneWidth"])
        f, d, h = self.backbone.feature_dim, config["projDim"], config["predHiddenDim"]
        self.projector = mlp_head(f, f, d, out_bias=True, out_bn=False)
        self.predictor = mlp_head(d, h, d, out_bias=True, out_bn=False)
        self.target = ByolTarget(config)
        for p in self.target.parameters():
            p.requires_grad_(False)

    def forward(self, x):                                        # online → p [B, D]
        return self.predictor(self.projector(self.backbone(x)))


# --- DINO (src/core/models/dinoModel.ts, dinoHead.ts) -------------------------------------------

class WeightNormLinear(nn.Module):
    """DINO's last layer: torch weight_norm of a bias-free Linear (dim 0), W[k] = g_k·v[k]/‖v[k]‖.
    `weight_v` [K, bottleneck] is trainable; `weight_g` [K, 1] is fixed at 1 (norm_last_layer=True),
    so it is a buffer here as in our checkpoints."""

    def __init__(self, in_dim, out_dim):
        super().__init__()
        self.weight_v = nn.Parameter(torch.empty(out_dim, in_dim))
        self.register_buffer("weight_g", torch.ones(out_dim, 1))

    def forward(self, x):
        w = self.weight_v / self.weight_v.norm(dim=1, keepdim=True) * self.weight_g
        return x @ w.T


class DinoHead(nn.Module):
    """`mlp.0` Linear − GELU − `mlp.2` Linear − GELU − `mlp.4` Linear → l2-normalise (eps 1e-12) → `last_layer`."""

    def __init__(self, in_dim, hidden, bottleneck, out_dim):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(in_dim, hidden), nn.GELU(), nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, bottleneck))
        self.last_layer = WeightNormLinear(bottleneck, out_dim)

    def forward(self, x):
        h = self.mlp(x)
        return self.last_layer(h / h.norm(dim=1, keepdim=True).clamp(min=1e-12))


def make_backbone(config, prefix="backbone."):
    """The run's backbone: a CIFAR ResNet, or the ViT (vit.py) when config['backbone'] == 'vit'."""
    if config["backbone"] == "vit":
        from .vit import VisionTransformer
        return VisionTransformer(config, prefix=prefix)
    return cifar_resnet(config["backbone"], config["backboneWidth"])


class DinoNetwork(nn.Module):
    def __init__(self, config, teacher=False):
        super().__init__()
        self.backbone = make_backbone({**config, "vitDropPath": 0.0} if teacher else config, "teacher.backbone." if teacher else "backbone.")
        self.head = DinoHead(self.backbone.feature_dim, config["dinoHiddenDim"], config["dinoBottleneckDim"], config["dinoOutDim"])

    def forward(self, x):                                        # → logits [B, K]
        return self.head(self.backbone(x))


class DinoNet(nn.Module):
    """DINO: student `backbone.*` + `head.*`, the EMA teacher under `teacher.` (no gradient, no
    drop_path) and `center` [1, K]."""

    def __init__(self, config):
        super().__init__()
        student = DinoNetwork(config)
        self.backbone, self.head = student.backbone, student.head
        self.teacher = DinoNetwork(config, teacher=True)
        self.register_buffer("center", torch.zeros(1, config["dinoOutDim"]))
        for p in self.teacher.parameters():
            p.requires_grad_(False)

    def student(self, x):
        return self.head(self.backbone(x))

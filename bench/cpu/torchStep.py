"""PyTorch CPU baseline of OUR default training step (SimSiam + HVP), to compare our engine's speed with.

What it times: one training step of the HVP Playground's default run (Hard View Pretraining, arXiv
2310.03940, Alg. 1, with SimSiam, arXiv 2011.10566), written in plain PyTorch with the same layers,
shapes and parameter counts as ours. Views are made before the clock starts (random normalised
tensors; augmentation is not timed, as in our step, which gets rendered views).

How it maps to our code (src/core/...):
  models/resnetCifar.ts   CIFAR ResNet-10 (BasicBlocks [1, 1, 1, 1]): 3x3 stride-1 stem conv (no bias) + BN
                          + ReLU, no max-pool; stages w, 2w, 4w, 8w, stride 2 at the first block of stages
                          2-4, 1x1 conv + BN downsample when the shape changes; global average pool -> [B, 8w].
                          torchvision BasicBlock modules, names as torchvision's state_dict (`conv1`,
                          `layer2.0.downsample.1`, ...); kaiming-normal fan_out convs, zero_init_residual.
  models/simsiamModel.ts  projector Linear(F, F, no bias) - BN - ReLU - Linear(F, D, no bias) - BN(affine=False),
                          predictor Linear(D, H, no bias) - BN - ReLU - Linear(H, D); F = 8w, D = projDim 256,
                          H = predHiddenDim 64 (only F follows the width).
  models/layers.ts        BN as torch: eps 1e-5, momentum 0.1, batch stats in training mode.
  methods/simsiam.ts      D(p, z) = -cos(p, stopgrad(z)); training loss 1/2 (mean D(p1, z2) + mean D(p2, z1));
                          pair loss of views (k, l) = 1/2 (D(p_k, z_l) + D(p_l, z_k)) per image, pairs (k < l)
                          in itertools.combinations order, from one batched [M, N, N] cosine matmul.
  methods/simsiamMethod.ts  selection = one forward of all N*M views (view-major, row k*M + m), no tape, BN in
                          TRAINING mode (running stats updated); training forwards the two views separately.
  train/hvpStep.ts        selection -> argmax per image (earliest pair on ties; torch.argmax returns the first
                          maximum) -> gather the two views of each chosen pair (train/selection.ts) -> one
                          ordinary step on them. Mode off (train/trainer.ts): 2 views per image, pair 0 fixed,
                          gathered the same way, no selection forward.
  train/optimizerSpec.ts  optimizer 'auto' -> SGD for SimSiam, weight decay on EVERY parameter (authors'
                          pretrain.py); optimizers/sgd.ts = torch.optim.SGD (momentum 0.9, dampening 0, coupled
                          wd 5e-4). lr: config/runConfig.ts DEFAULT_CONFIG learningRate 0.06, cosine with 50
                          warm-up steps over 2000 (train/schedules.ts), set per step as our trainer does.

Configs: default = DEFAULT_CONFIG (batch 64, 32x32, ResNet-10 width 16, N = 4); small = bench/README.md's
small config (batch 16, 16x16, width 8, N = 4; projector/predictor dims as default).

How the structure was checked against ours: trainable parameters 390,096 in 45 tensors (default) and
131,112 in 45 tensors (small), equal to the sums over the parameters of our checkpoints (the tensors
that have an `optimizer.<name>.momentum` slot); `--compare CKPT` checks every model tensor of one of
our checkpoints (params and BN buffers, names and shapes) against this model's state_dict:
  npm run cli -- train --steps 1 --backend cpu --set batchSize=4 --set knnEvery=0 --out /tmp/x.safetensors
  /usr/bin/python3 bench/cpu/torchStep.py --config default --compare /tmp/x.safetensors

Needs only Debian's python3-torch (1.13) and python3-torchvision (apt-get install python3-torch
python3-torchvision), run with /usr/bin/python3. Prints ONE JSON line to stdout; the parameter count
goes to stderr (`--describe` lists every tensor and exits).
Usage: /usr/bin/python3 bench/cpu/torchStep.py [--config default|small] [--mode off|hard] [--threads 1]
                                               [--warmup 2] [--steps 5] [--seed 0] [--describe] [--compare CKPT]
"""
import argparse
import itertools
import json
import math
import statistics
import struct
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models.resnet import BasicBlock

# config/runConfig.ts DEFAULT_CONFIG, and bench/README.md's small config
CONFIGS = {
    "default": {"batchSize": 64, "imageSize": 32, "backboneWidth": 16, "numViews": 4},
    "small": {"batchSize": 16, "imageSize": 16, "backboneWidth": 8, "numViews": 4},
}
LAYOUT = (1, 1, 1, 1)  # resnet10 (models/resnetCifar.ts RESNET_LAYOUTS)
PROJ_DIM, PRED_HIDDEN_DIM = 256, 64
LEARNING_RATE, MOMENTUM, WEIGHT_DECAY = 0.06, 0.9, 5e-4
TOTAL_STEPS, WARMUP_STEPS = 2000, 50


class CifarResNet(nn.Module):
    """models/resnetCifar.ts: x [B, 3, S, S] -> pooled features [B, 8w]; no fc."""

    def __init__(self, width, layout=LAYOUT):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        inplanes = width
        for s, num_blocks in enumerate(layout):
            planes, blocks = width * 2 ** s, []
            for b in range(num_blocks):
                stride = 2 if s > 0 and b == 0 else 1
                down = None
                if stride != 1 or inplanes != planes:
                    down = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
                blocks.append(BasicBlock(inplanes, planes, stride, down))
                inplanes = planes
            setattr(self, f"layer{s + 1}", nn.Sequential(*blocks))
        self.feature_dim = inplanes
        for m in self.modules():  # torchvision ResNet init, zero_init_residual=True
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        for m in self.modules():
            if isinstance(m, BasicBlock):
                nn.init.zeros_(m.bn2.weight)

    def forward(self, x):
        h = self.relu(self.bn1(self.conv1(x)))  # [B, w, S, S]
        h = self.layer4(self.layer3(self.layer2(self.layer1(h))))  # [B, 8w, S/8, S/8]
        return torch.flatten(F.adaptive_avg_pool2d(h, 1), 1)  # [B, 8w]


class SimSiam(nn.Module):
    """models/simsiamModel.ts: x [B, 3, S, S] -> (p [B, D], z [B, D])."""

    def __init__(self, width):
        super().__init__()
        self.backbone = CifarResNet(width)
        f = self.backbone.feature_dim
        self.projector = nn.Sequential(nn.Linear(f, f, bias=False), nn.BatchNorm1d(f), nn.ReLU(inplace=True),
                                       nn.Linear(f, PROJ_DIM, bias=False), nn.BatchNorm1d(PROJ_DIM, affine=False))
        self.predictor = nn.Sequential(nn.Linear(PROJ_DIM, PRED_HIDDEN_DIM, bias=False), nn.BatchNorm1d(PRED_HIDDEN_DIM),
                                       nn.ReLU(inplace=True), nn.Linear(PRED_HIDDEN_DIM, PROJ_DIM))

    def forward(self, x):
        z = self.projector(self.backbone(x))  # [B, D]
        return self.predictor(z), z  # [B, D], [B, D]


def neg_cosine(p, z):
    """D(p, z) = -cos(p, stopgrad(z)) per row: [B, D] x [B, D] -> [B] (methods/simsiam.ts negCosine)."""
    return -F.cosine_similarity(p, z.detach(), dim=-1)


def pair_tables(num_views):
    """pairList(N) (train/pairs.ts) as index tensors: first views k [P], second views l [P]."""
    pairs = list(itertools.combinations(range(num_views), 2))
    return torch.tensor([k for k, _ in pairs]), torch.tensor([l for _, l in pairs])


def select_hard(model, views, num_views, first, second):
    """Selection forward of all views, no tape, BN in training mode (running stats updated); per-image
    pair losses [M, P] (methods/simsiam.ts simsiamPairLosses) and argmax -> selected [M]."""
    m = views.shape[0] // num_views
    with torch.no_grad():
        p, z = model(views)  # [N·M, D] each, view-major
        pn = F.normalize(p.view(num_views, m, -1), dim=-1).transpose(0, 1)  # [M, N, D]
        zn = F.normalize(z.view(num_views, m, -1), dim=-1).transpose(0, 1)  # [M, N, D]
        cos = torch.bmm(pn, zn.transpose(1, 2)).reshape(m, num_views * num_views)  # [M, N·N], cos(p_k, z_l)
        pair_losses = -0.5 * (cos[:, first * num_views + second] + cos[:, second * num_views + first])  # [M, P]
        return pair_losses.argmax(dim=1)  # [M], first maximum on ties


def gather_pair_views(views, selected, num_views, first, second):
    """train/selection.ts gatherPairViews: rows k·M + m and l·M + m of each image's pair -> 2 x [M, 3, S, S]."""
    m = views.shape[0] // num_views
    image = torch.arange(m)
    return views.index_select(0, first[selected] * m + image), views.index_select(0, second[selected] * m + image)


def cosine_with_warmup(step):
    """train/schedules.ts cosineWithWarmup for the default lr schedule."""
    if step < WARMUP_STEPS:
        return LEARNING_RATE * (step + 1) / WARMUP_STEPS
    t = min(1.0, (step - WARMUP_STEPS) / max(1, TOTAL_STEPS - WARMUP_STEPS))
    return 0.5 * LEARNING_RATE * (1 + math.cos(math.pi * t))


def train_step(model, optimizer, views, num_views, mode, first, second, step):
    """train/hvpStep.ts hvpTrainStep: [selection] -> gather -> forward x1, x2 -> loss -> backward -> SGD."""
    m = views.shape[0] // num_views
    if mode == "hard":
        selected = select_hard(model, views, num_views, first, second)
    else:
        selected = torch.zeros(m, dtype=torch.long)  # mode off: pair 0 = views 0 and 1
    x1, x2 = gather_pair_views(views, selected, num_views, first, second)  # [M, 3, S, S] each
    for group in optimizer.param_groups:
        group["lr"] = cosine_with_warmup(step)
    p1, z1 = model(x1)
    p2, z2 = model(x2)
    loss = 0.5 * (neg_cosine(p1, z2).mean() + neg_cosine(p2, z1).mean())
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss.detach()


def read_safetensors_header(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    header.pop("__metadata__", None)
    return header


def compare_checkpoint(model, path):
    """Names and shapes of every model tensor of our checkpoint vs this model's state_dict; returns problems."""
    ours = {k: tuple(v["shape"]) for k, v in read_safetensors_header(path).items() if not k.startswith("optimizer.")}
    mine = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    problems = [f"missing here: {k} {s}" for k, s in ours.items() if k not in mine]
    problems += [f"not in checkpoint: {k} {s}" for k, s in mine.items() if k not in ours]
    problems += [f"shape {k}: ours {ours[k]} vs here {s}" for k, s in mine.items() if k in ours and ours[k] != s]
    momentum = [k[len("optimizer."):-len(".momentum")] for k in read_safetensors_header(path) if k.endswith(".momentum")]
    our_params = sum(math.prod(ours[k]) for k in momentum)
    print(f"checkpoint {path}: {len(ours)} model tensors, {len(momentum)} trainable, {our_params:,} parameters", file=sys.stderr)
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", choices=sorted(CONFIGS), default="default")
    ap.add_argument("--mode", choices=["off", "hard"], default="hard")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--describe", action="store_true", help="list every parameter and buffer, then exit")
    ap.add_argument("--compare", metavar="CKPT", help="check names and shapes against one of our checkpoints, then exit")
    args = ap.parse_args()
    if args.steps < 1 or args.warmup < 0 or args.threads < 1:
        ap.error("need --steps >= 1, --warmup >= 0, --threads >= 1")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    cfg = CONFIGS[args.config]
    m, s, w = cfg["batchSize"], cfg["imageSize"], cfg["backboneWidth"]
    num_views = 2 if args.mode == "off" else cfg["numViews"]  # train/trainer.ts: mode off renders 2 views
    model = SimSiam(w).train()
    params = [p for p in model.parameters() if p.requires_grad]
    num_params = sum(p.numel() for p in params)
    print(f"torchStep {args.config}: ResNet-10 width {w}, {num_params:,} trainable parameters in {len(params)} tensors", file=sys.stderr)
    if args.describe:
        for name, t in model.state_dict().items():
            print(f"  {name} {list(t.shape)}", file=sys.stderr)
        return
    if args.compare:
        problems = compare_checkpoint(model, args.compare)
        print("\n".join(problems) if problems else "structure matches: every name and shape equal", file=sys.stderr)
        sys.exit(1 if problems else 0)

    optimizer = torch.optim.SGD(params, lr=LEARNING_RATE, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)
    first, second = pair_tables(num_views)
    # views of every step made up front (not timed): [N·M, 3, S, S], view-major
    all_views = [torch.randn(num_views * m, 3, s, s) for _ in range(args.warmup + args.steps)]
    times = []
    for i, views in enumerate(all_views):
        t0 = time.perf_counter()
        train_step(model, optimizer, views, num_views, args.mode, first, second, i)
        ms = (time.perf_counter() - t0) * 1000
        if i >= args.warmup:
            times.append(ms)
    median = statistics.median(times)
    print(json.dumps({
        "engine": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "config": args.config, "mode": args.mode, "batchSize": m, "imageSize": s, "backboneWidth": w,
        "numViews": num_views, "params": num_params, "msPerStep": [round(t, 2) for t in times],
        "minMs": round(min(times), 2), "medianMs": round(median, 2), "imagesPerSec": round(m * 1000 / median, 2),
    }))


if __name__ == "__main__":
    main()

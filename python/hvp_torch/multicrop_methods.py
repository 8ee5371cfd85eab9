"""DINO (and iBOT, ibot.py) as the multi-crop HVP step sees them — the MultiCropMethod contract of
src/core/methods/multiCropMethod.ts in torch. Views are view-major (row k·M + m = view k of image m).

  combo_losses(globals [G·M], locals [L·M], G, L, combos [C, 2+l]) -> [M, C]
        selection forward without a gradient (teacher and student BN in training mode, running
        stats updated, center NOT updated; teacher temperature of the step): per image and
        combination the SUM of its CE terms (the authors' DINOLoss.select_forward)
  forward(g [2·M], l [l·M], chosen [M, 2+l]) -> loss   training loss (what DDP wraps); keeps the raw
        teacher outputs for the center update in self.batch_teacher
  begin_step(step_index)                      the schedules of the 0-based step
  step_optimization(step_index) -> (weight_decay, frozen names)
  after_step(done, total_steps)               center update (update_center) and EMA teacher
  embed(x)                                    TEACHER backbone in eval mode (src/core/models/dinoModel.ts)
  is_no_decay(name)                           biases, rank ≤ 1 tensors, the ViT's pos_embed / cls_token

DINO, exactly as src/core/methods/dino.ts + dinoMethod.ts:
  q = softmax((t − center)/τ_t), log p = log_softmax(s/τ_s), CE[m, q, v] = −Σ_k q·log p, 0 for v = q;
  loss = Σ terms / (M·(2·(2+l) − 2));  center ← m·center + (1 − m)·mean_rows(t) (update_center, the
  cross-batch reduction: under DDP all-reduce the mean first);  τ_t: teacherTemperature (linear
  warm-up over teacherTempWarmupSteps);  weight decay: cosine weightDecay → weightDecayEnd;
  `head.last_layer.weight_v` frozen for freezeLastLayerEpochs·max(1, ⌊numTrainImages/batchSize⌋)
  steps;  EMA τ_k = 1 − (1 − emaMomentum)(cos(πk/K) + 1)/2 over trainable params, k = step index.

API
  make_multicrop_method(config) -> Dino | Ibot
  combo_weights(combos, G, L) -> [G·(G+L), C] 0/1;  dino_terms(tp, slp, G, V) -> [M, G, V]
  update_center(center, teacher_out, momentum)  (in place)
  schedules: teacher_temperature, dino_weight_decay, cosine_momentum, frozen_last_layer_steps
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

from .distributed import all_mean
from .models import DinoNet


def cosine_with_warmup(step, base, total_steps, warmup_steps, final=0.0):
    if warmup_steps > 0 and step < warmup_steps:
        return base * (step + 1) / warmup_steps
    t = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
    return final + 0.5 * (base - final) * (1 + math.cos(math.pi * t))


def cosine_momentum(step, base, total_steps, final=1.0):
    k = min(max(step, 0), max(1, total_steps))
    return final - (final - base) * (math.cos(math.pi * k / max(1, total_steps)) + 1) / 2


def teacher_temperature(step, start, final, warmup_steps):
    if step < warmup_steps:
        return start if warmup_steps == 1 else start + (final - start) * max(0, step) / (warmup_steps - 1)
    return final


def dino_weight_decay(step, base, final, total_steps):
    return cosine_with_warmup(step, base, total_steps, 0, final)


def frozen_last_layer_steps(epochs, num_train_images, batch_size):
    return epochs * max(1, num_train_images // batch_size)


def dino_terms(teacher_probs, student_log_probs, G, V):
    """teacher_probs [G·M, K], student_log_probs [V·M, K] → [M, G, V], 0 where v = q."""
    K = teacher_probs.shape[1]
    M = teacher_probs.shape[0] // G
    q = teacher_probs.view(G, M, K).transpose(0, 1)               # [M, G, K]
    ls = student_log_probs.view(V, M, K).transpose(0, 1)          # [M, V, K]
    ce = -(q @ ls.transpose(1, 2))                                 # [M, G, V]
    off = (torch.arange(G, device=ce.device)[:, None] != torch.arange(V, device=ce.device)[None, :])
    return torch.where(off.expand_as(ce), ce, torch.zeros_like(ce))


def combo_weights(combos, G, L, device=None):
    """combos [[e, o, λ…]] → [G·(G+L), C]: 1 where teacher q and student v (locals at G + id) are
    both in the combination and v ≠ q."""
    V = G + L
    w = torch.zeros(G, V, len(combos))
    for c, row in enumerate(combos):
        students = [row[0], row[1]] + [G + j for j in row[2:]]
        for q in row[:2]:
            for v in students:
                if v != q:
                    w[q, v, c] += 1
    return w.view(G * V, len(combos)).to(device)


@torch.no_grad()
def update_center(center, teacher_out, momentum):
    """center ← m·center + (1 − m)·mean over rows (under DDP: all-reduce the row mean first)."""
    center.copy_(center * momentum + teacher_out.mean(0, keepdim=True) * (1 - momentum))


def gather_chosen(globals_, locals_, chosen):
    """globals [G·M], locals [L·M], chosen int64 [M, 2+l] → g [2·M], l [l·M] (view-major)."""
    M = chosen.shape[0]
    rows = torch.arange(M, device=chosen.device)
    g = globals_[torch.cat([chosen[:, 0] * M + rows, chosen[:, 1] * M + rows])]
    nl = chosen.shape[1] - 2
    l = locals_[torch.cat([chosen[:, 2 + j] * M + rows for j in range(nl)])] if nl > 0 else locals_[:0]
    return g, l


class Dino(nn.Module):
    name = "dino"

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.net = DinoNet(config)
        self.frozen_steps = frozen_last_layer_steps(config["freezeLastLayerEpochs"], config["numTrainImages"], config["batchSize"])
        self.step_index = 0
        self.batch_teacher = None
        self.dist = None

    def teacher_temp(self):
        c = self.config
        return teacher_temperature(self.step_index, c["teacherTempWarmup"], c["teacherTemp"], c["teacherTempWarmupSteps"])

    def shard_rows(self, lo, m, total):
        """Under torchrun: this process holds images lo … lo + m − 1 of the global batch of `total`; the
        student ViT draws the global batch's drop_path uniforms and keeps its rows (vit.py noise_rows)."""
        if hasattr(self.net.backbone, "noise_rows"):
            self.net.backbone.noise_rows = (lo, m, total)

    def begin_step(self, step_index):
        self.step_index = step_index
        for net in (self.net.backbone, self.net.teacher.backbone):
            if hasattr(net, "begin_step"):
                net.begin_step(step_index)

    def step_optimization(self, step_index):
        c = self.config
        wd = dino_weight_decay(step_index, c["weightDecay"], c["weightDecayEnd"], c["totalSteps"])
        return wd, ({"head.last_layer.weight_v"} if step_index < self.frozen_steps else set())

    def _terms(self, globals_, locals_, G, L):
        t = self.net.teacher(globals_)                              # [G·M, K]
        sg = self.net.student(globals_)
        s = torch.cat([sg, self.net.student(locals_)]) if L > 0 else sg
        tp = F.softmax((t - self.net.center) / self.teacher_temp(), -1)
        return dino_terms(tp, F.log_softmax(s / self.config["studentTemp"], -1), G, G + L)

    @torch.no_grad()
    def combo_losses(self, globals_, locals_, G, L, combos):
        terms = self._terms(globals_, locals_, G, L)                # [M, G, V]
        M = terms.shape[0]
        return terms.reshape(M, -1) @ combo_weights(combos, G, L, terms.device)

    def forward(self, g, l, chosen=None):
        with torch.no_grad():
            t = self.net.teacher(g)                                 # [2·M, K]
        sg = self.net.student(g)
        s = torch.cat([sg, self.net.student(l)]) if l.shape[0] > 0 else sg
        self.batch_teacher = t
        M = t.shape[0] // 2
        V = s.shape[0] // M
        tp = F.softmax((t - self.net.center) / self.teacher_temp(), -1)
        terms = dino_terms(tp, F.log_softmax(s / self.config["studentTemp"], -1), 2, V)
        return terms.sum() / (M * (2 * V - 2))

    @torch.no_grad()
    def after_step(self, done, total_steps):
        if self.batch_teacher is not None:
            t = self.batch_teacher
            if self.dist is not None and self.dist.is_distributed:
                t = all_mean(t.mean(0, keepdim=True), self.dist)    # the global batch's row mean
            update_center(self.net.center, t, self.config["centerMomentum"])
            self.batch_teacher = None
        tau = cosine_momentum(done - 1, self.config["emaMomentum"], total_steps)
        ema_update(self.net.teacher, {"backbone": self.net.backbone, "head": self.net.head}, tau)

    def is_no_decay(self, name):
        p = dict(self.net.named_parameters()).get(name)
        vit_no_decay = getattr(self.net.backbone, "is_no_decay", lambda n: False)
        return name.endswith(".bias") or (p is not None and p.dim() <= 1) or (name.startswith("backbone.") and vit_no_decay(name[len("backbone."):]))

    @torch.no_grad()
    def embed(self, x):
        tb = self.net.teacher.backbone
        was = tb.training
        tb.eval()
        f = tb(x)
        tb.train(was)
        return f


@torch.no_grad()
def ema_update(target, online_parts, tau):
    """target ← target + (1 − τ)(online − target) over the online parts' trainable parameters
    (src/core/train/ema.ts; bit-exact at τ = 1)."""
    tp = dict(target.named_parameters())
    for prefix, module in online_parts.items():
        for name, o in module.named_parameters():
            t = tp[f"{prefix}.{name}"]
            t.add_((o - t) * (1 - tau))


def make_multicrop_method(config):
    if config["method"] == "dino":
        return Dino(config)
    if config["method"] == "ibot":
        from .ibot import Ibot
        return Ibot(config)
    raise ValueError(f"{config['method']} is not a multi-crop method")

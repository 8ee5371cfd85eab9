"""iBOT (ViT only) as the multi-crop HVP step sees it — the contract of multicrop_methods.Dino — exactly
as src/core/methods/ibotMethod.ts, ibot.ts and src/core/models/ibotModel.ts, ibotHead.ts.

Modules, named as the checkpoint's tensors (load_state_dict strict):
  backbone.*            student ViT (vit.py) with `backbone.masked_embed` [1, D]
  head.mlp.{0,2,4}      Linear − GELU − Linear − GELU − Linear on EVERY token (CLS and patches) → l2-normalise
  head.last_layer       weight-normed Linear(bottleneck, K) for the CLS token (weight_v trained, weight_g [K, 1] = 1 buffer)
  head.last_layer2      the same for the patch tokens, Kp prototypes
  teacher.backbone.*, teacher.head.*   the EMA teacher (no masked_embed, no drop_path), no gradient
  center [1, K], center2 [1, 1, Kp]    iBOTLoss's centers

Per step (0-based index s; begin_step(s) first):
  masks     view v of image m of the step: ibot_masks(init seed, s, g, maskRatio, [v], M) (bit-exact ours);
            the selection forward and the training forward use the same masks
  terms     [M, G, G + L]: CE(teacher global q, student view v ≠ q) off the diagonal (DINO's, CLS
            temperatures), on the diagonal the masked-patch term of global q: Σ_t mask·CE_t / max(Σ mask, 1)
            with teacher patch temperature and center2
  selection combo_losses → [M, C]: λ1·mean of the combination's CLS terms + λ2·mean of its 2 patch terms
            (no gradient, drop_path active, centers not updated)
  training  forward(g [2·M], l [l·M], chosen [M, 2+l]) → mean over images of the chosen combination's score
  after     center ← m·center + (1 − m)·mean(teacher CLS), center2 ← m·center2 + (1 − m)·mean(teacher patches)
            (teacher_means() is the cross-batch reduction: under DDP all-reduce it, see after_step), then
            the EMA teacher with τ = cosine_momentum(s, emaMomentum, totalSteps)
  optim     weight decay cosine weightDecay → weightDecayEnd; head.last_layer{,2}.weight_v frozen for
            freezeLastLayerEpochs·max(1, ⌊numTrainImages/batchSize⌋) steps

Under DDP a process holding images lo … lo + m − 1 of the global batch of M_total takes exactly those
rows of the step's masks and of the student ViT's drop_path draws (vit.py noise_rows), so K processes
mask and drop what one process does: run.py calls `shard_rows(lo, m, M_total)`; without that call,
begin_step derives it from method.dist (rank r holds images [r·m, (r+1)·m), distributed.py).

API
  Ibot(config)  .net, .combo_losses(globals, locals, G, L, combos) -> [M, C], .forward(g, l, chosen) -> loss,
                .begin_step(s), .step_optimization(s) -> (weight_decay, frozen names), .after_step(done, total),
                .teacher_means() -> (mean CLS [1, K], mean patches [1, 1, Kp]), .is_no_decay(name), .embed(x),
                .step_masks(view_ids, M) -> [len·M, T], .shard_rows(lo, m, M_total)
  ibot_terms(cls_terms [M,G,V], patch_terms [M,G]) -> [M,G,V];  ibot_patch_terms(...) -> [M, G]
  ibot_combo_weights(combos, G, L, patch_weight) -> [G·V, C];  ibot_loss_from_terms(terms [M,2,V], patch_weight)
"""
import torch
import torch.nn.functional as F
from torch import nn

from .ibot_masks import ibot_masks
from .models import WeightNormLinear
from .multicrop_methods import (combo_weights, cosine_momentum, dino_terms, dino_weight_decay, frozen_last_layer_steps,
                                teacher_temperature)
from .random import derive_seed
from .vit import VisionTransformer

CLS_WEIGHT = 1.0                                                   # iBOT lambda1
LAST_LAYERS = ("head.last_layer.weight_v", "head.last_layer2.weight_v")


class IbotHead(nn.Module):
    def __init__(self, in_dim, hidden, bottleneck, out_dim, patch_out_dim):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(in_dim, hidden), nn.GELU(), nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, bottleneck))
        self.last_layer = WeightNormLinear(bottleneck, out_dim)
        self.last_layer2 = WeightNormLinear(bottleneck, patch_out_dim)

    def forward(self, cls, patches=None):                          # cls [B, D], patches [B, T, D] → [B, K], [B, T, Kp]
        B, D = cls.shape
        tokens = cls if patches is None else torch.cat([cls, patches.reshape(-1, D)])
        h = self.mlp(tokens)
        z = h / h.norm(dim=1, keepdim=True).clamp(min=1e-12)
        c = self.last_layer(z[:B])
        if patches is None:
            return c, None
        return c, self.last_layer2(z[B:]).reshape(B, patches.shape[1], -1)


class IbotNetwork(nn.Module):
    def __init__(self, config, student):
        super().__init__()
        self.backbone = VisionTransformer(config if student else {**config, "vitDropPath": 0.0}, has_masked_embed=student)
        self.head = IbotHead(self.backbone.feature_dim, config["dinoHiddenDim"], config["dinoBottleneckDim"], config["dinoOutDim"], config["patchOutDim"])

    def forward(self, x, mask=None):
        cls, patches = self.backbone.forward_tokens(x, mask)
        return self.head(cls, patches)


class IbotNet(nn.Module):
    def __init__(self, config):
        super().__init__()
        student = IbotNetwork(config, True)
        self.backbone, self.head = student.backbone, student.head
        self.teacher = IbotNetwork(config, False)
        self.register_buffer("center", torch.zeros(1, config["dinoOutDim"]))
        self.register_buffer("center2", torch.zeros(1, 1, config["patchOutDim"]))
        for p in self.teacher.parameters():
            p.requires_grad_(False)

    def student(self, globals_, masks, locals_):
        """→ global CLS [G·M, K], global patches [G·M, T, Kp], local CLS [L·M, K] or None (globals then locals: two ViT calls)."""
        g_cls, g_patch = self.head(*self.backbone.forward_tokens(globals_, masks))
        l_cls = None
        if locals_ is not None and locals_.shape[0] > 0:
            l_cls = self.head(self.backbone.forward_tokens(locals_)[0])[0]
        return g_cls, g_patch, l_cls


def ibot_patch_terms(t_patch, s_patch, masks, center2, t_temp, s_temp, G):
    """teacher / student patch logits [G·M, T, Kp], masks [G·M, T] → [M, G]."""
    q = F.softmax((t_patch - center2) / t_temp, dim=-1)
    ls = F.log_softmax(s_patch / s_temp, dim=-1)
    ce = -(q * ls).sum(-1)                                         # [G·M, T]
    per_view = (ce * masks).sum(1) / masks.sum(1).clamp(min=1.0)   # [G·M]
    return per_view.reshape(G, -1).t()                             # [M, G]


def ibot_terms(cls_terms, patch_terms):
    M, G, V = cls_terms.shape
    diag = (torch.arange(G, device=cls_terms.device)[:, None] == torch.arange(V, device=cls_terms.device)[None, :]).to(cls_terms.dtype)
    return cls_terms * (1 - diag) + patch_terms.reshape(M, G, 1) * diag


def ibot_combo_weights(combos, G, L, patch_weight, device=None):
    """[G·V, C]: λ1/(2(2+l) − 2) per CLS term of a combination, λ2/2 for each of its globals' patch terms."""
    l = len(combos[0]) - 2
    V = G + L
    w = combo_weights(combos, G, L, device) * (CLS_WEIGHT / (2 * (2 + l) - 2))
    for c, row in enumerate(combos):
        for q in row[:2]:
            w[q * V + q, c] += patch_weight / 2
    return w


def ibot_loss_from_terms(terms, patch_weight):
    M, G, V = terms.shape
    diag = (torch.arange(G, device=terms.device)[:, None] == torch.arange(V, device=terms.device)[None, :]).to(terms.dtype)
    w = (1 - diag) * (CLS_WEIGHT / (2 * V - 2)) + diag * (patch_weight / 2)
    return (terms * w).sum() / M


class Ibot(nn.Module):
    name = "ibot"

    def __init__(self, config):
        super().__init__()
        if config["backbone"] != "vit":
            raise ValueError(f"iBOT needs the vit backbone, got {config['backbone']!r}")
        self.config = config
        self.net = IbotNet(config)
        self.seed = derive_seed(config["seed"], "init")
        self.grid = config["imageSize"] // config["vitPatchSize"]
        self.frozen_steps = frozen_last_layer_steps(config["freezeLastLayerEpochs"], config["numTrainImages"], config["batchSize"])
        self.step_index = 0
        self.rows = None                                           # (lo, m, M_total) under DDP
        self.batch_teacher = None
        self.dist = None

    def shard_rows(self, lo, m, total):
        self.rows = (lo, m, total)
        self.net.backbone.noise_rows = self.rows                   # the student's drop_path draws too (vit.py)

    def _temps(self):
        c = self.config
        t = teacher_temperature(self.step_index, c["teacherTempWarmup"], c["teacherTemp"], c["teacherTempWarmupSteps"])
        tp = teacher_temperature(self.step_index, c["teacherTempWarmup"], c["teacherPatchTemp"], c["teacherTempWarmupSteps"])
        return t, tp

    def begin_step(self, step_index):
        self.step_index = step_index
        if self.rows is None and self.dist is not None and self.dist.is_distributed:  # distributed.py: rank r holds images [r·m, (r+1)·m)
            m = self.config["batchSize"] // self.dist.world_size
            self.shard_rows(self.dist.rank * m, m, self.config["batchSize"])
        self.net.backbone.begin_step(step_index)

    def step_optimization(self, step_index):
        c = self.config
        wd = dino_weight_decay(step_index, c["weightDecay"], c["weightDecayEnd"], c["totalSteps"])
        return wd, (set(LAST_LAYERS) if step_index < self.frozen_steps else set())

    def step_masks(self, view_ids, M):
        """Masks of rendered globals `view_ids` of this step's images [len·M, T] (this process's rows)."""
        lo, total = (0, M) if self.rows is None else (self.rows[0], self.rows[2])
        m = ibot_masks(self.seed, self.step_index, self.grid, self.config["maskRatio"], list(view_ids), total)
        m = m.reshape(len(view_ids), total, -1)[:, lo:lo + M].reshape(len(view_ids) * M, -1)
        return m.to(self.net.center.device)

    def _terms(self, globals_, locals_, G, L, masks):
        t_temp, tp_temp = self._temps()
        s_temp = self.config["studentTemp"]
        with torch.no_grad():
            t_cls, t_patch = self.net.teacher(globals_)
        g_cls, g_patch, l_cls = self.net.student(globals_, masks, locals_ if L > 0 else None)
        s_cls = g_cls if l_cls is None else torch.cat([g_cls, l_cls])
        cls = dino_terms(F.softmax((t_cls - self.net.center) / t_temp, -1), F.log_softmax(s_cls / s_temp, -1), G, G + L)
        patch = ibot_patch_terms(t_patch, g_patch, masks, self.net.center2, tp_temp, s_temp, G)
        return ibot_terms(cls, patch), t_cls, t_patch

    @torch.no_grad()
    def combo_losses(self, globals_, locals_, G, L, combos):
        M = globals_.shape[0] // G
        terms, _, _ = self._terms(globals_, locals_, G, L, self.step_masks(range(G), M))
        w = ibot_combo_weights(combos, G, L, self.config["patchLossWeight"], terms.device)
        return terms.reshape(M, -1) @ w

    def forward(self, g, l, chosen):
        M = g.shape[0] // 2
        chosen = torch.as_tensor(chosen, dtype=torch.long).to(g.device)
        n_ids = int(chosen[:, :2].max()) + 1
        all_masks = self.step_masks(range(n_ids), M)               # [n_ids·M, T]: row id·M + m = view id of image m
        rows = torch.arange(M, device=g.device)
        masks = all_masks[torch.cat([chosen[:, 0] * M + rows, chosen[:, 1] * M + rows])]  # [2·M, T]
        terms, t_cls, t_patch = self._terms(g, l, 2, chosen.shape[1] - 2, masks)
        self.batch_teacher = (t_cls.detach(), t_patch.detach())
        return ibot_loss_from_terms(terms, self.config["patchLossWeight"])

    @torch.no_grad()
    def teacher_means(self):
        """The cross-batch reduction of the centers: mean teacher CLS [1, K] and patches [1, 1, Kp] of this batch."""
        t_cls, t_patch = self.batch_teacher
        return t_cls.mean(0, keepdim=True), t_patch.mean((0, 1), keepdim=True)

    @torch.no_grad()
    def after_step(self, done, total_steps):
        m = self.config["centerMomentum"]
        if self.batch_teacher is not None:
            mean_cls, mean_patch = self.teacher_means()
            if self.dist is not None and self.dist.is_distributed:
                from .distributed import all_mean
                mean_cls, mean_patch = all_mean(mean_cls, self.dist), all_mean(mean_patch, self.dist)
            self.net.center.copy_(self.net.center * m + mean_cls * (1 - m))
            self.net.center2.copy_(self.net.center2 * m + mean_patch * (1 - m))
            self.batch_teacher = None
        tau = cosine_momentum(done - 1, self.config["emaMomentum"], total_steps)
        online = dict(self.net.named_parameters())
        for name, t in self.net.teacher.named_parameters():
            t.add_((online[name] - t) * (1 - tau))                 # teacher.x ← student x (ema.ts)

    def is_no_decay(self, name):
        p = dict(self.net.named_parameters()).get(name)
        vit = name.startswith("backbone.") and self.net.backbone.is_no_decay(name[len("backbone."):])
        return vit or name.endswith(".bias") or (p is not None and p.dim() <= 1)

    @torch.no_grad()
    def embed(self, x):
        tb = self.net.teacher.backbone
        was = tb.training
        tb.eval()
        f = tb(x)
        tb.train(was)
        return f

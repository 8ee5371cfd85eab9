"""Our optimizers in torch, with the same update order and the same state names as
src/core/train/optimizers/{sgd,lars,adamw}.ts, so a checkpoint's `optimizer.*` tensors continue:

  SGD    g ← grad + wd·w (not for no-decay params; SimSiam decays every param); buf ← m·buf + g
         (buf ← g on the first step); w ← w − lr·buf.                     state <param>.momentum
  LARS   for params of rank ≥ 2 with ‖w‖ ≠ 0 and ‖g‖ ≠ 0: trust = η‖w‖/(‖g‖ + wd‖w‖ + 1e-8),
         clip: trust ← min(trust/lr, 1), d = (g + wd·w)·trust; else d = g; then SGD momentum.
  AdamW  t ← t+1; w ← w(1 − lr·wd) (not for no-decay); m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²;
         w ← w − lr/(1−β1^t) · m/(√v/√(1−β2^t) + eps).     state .exp_avg, .exp_avg_sq, .step (int32)
The spec (which optimizer, weight decay, exclusions) is resolved as src/core/train/optimizerSpec.ts.

API
  Optimizer(config, params: dict name → Parameter, is_no_decay)
    .step(lr, weight_decay=None)       after gradients are in p.grad
    .load(state: dict key → tensor)    from a checkpoint's optimizer tensors (names without prefix)
    .state() -> dict key → tensor      to save
"""
import math

import torch

LARS_ETA = 0.02
METHOD_OPTIMIZER = {"simsiam": "sgd", "simclr": "lars", "byol": "lars", "dino": "adamw", "ibot": "adamw"}


class OptimizerStateError(Exception):
    """The checkpoint's optimizer tensors do not fit the model; the message names them."""


class Optimizer:
    def __init__(self, config, params, is_no_decay):
        self.kind = METHOD_OPTIMIZER[config["method"]] if config["optimizer"] == "auto" else config["optimizer"]
        self.params = params
        self.momentum = config.get("momentum", 0.9)
        self.weight_decay = config["weightDecay"]
        decay_all = self.kind == "sgd" and config["method"] == "simsiam"
        self.no_decay = (lambda name: False) if decay_all else is_no_decay
        self.slots = {}

    def _keys(self, name):
        if self.kind == "adamw":
            return [f"{name}.exp_avg", f"{name}.exp_avg_sq", f"{name}.step"]
        return [f"{name}.momentum"]

    @torch.no_grad()
    def step(self, lr, weight_decay=None):
        wd_all = self.weight_decay if weight_decay is None else weight_decay
        for name, w in self.params.items():
            g = w.grad
            if g is None:
                continue
            if self.kind == "adamw":
                self._adamw(name, w, g, lr, 0.0 if self.no_decay(name) else wd_all)
                continue
            if self.kind == "lars":
                d = g if w.dim() <= 1 else self._lars_direction(w, g, lr, wd_all)
            else:
                wd = 0.0 if self.no_decay(name) else wd_all
                d = g + w * wd if wd > 0 else g
            key = f"{name}.momentum"
            if self.momentum > 0:
                buf = self.slots.get(key)
                if buf is None:
                    buf = d.clone()
                    self.slots[key] = buf
                else:
                    buf.mul_(self.momentum).add_(d)
                d = buf
            w.sub_(d * lr)

    def _lars_direction(self, w, g, lr, wd):
        p_norm, g_norm = w.norm(), g.norm()
        if not (p_norm > 0 and g_norm > 0):
            return g
        trust = p_norm / (g_norm + p_norm * wd + 1e-8) * LARS_ETA
        trust = torch.clamp(trust / lr, max=1.0)
        return (g + w * wd) * trust

    def _adamw(self, name, w, g, lr, wd, b1=0.9, b2=0.999, eps=1e-8):
        m_key, v_key, t_key = self._keys(name)
        if m_key not in self.slots:
            self.slots[m_key] = torch.zeros_like(w)
            self.slots[v_key] = torch.zeros_like(w)
            self.slots[t_key] = torch.zeros((), dtype=torch.int32)
        t = int(self.slots[t_key]) + 1
        self.slots[t_key] = torch.tensor(t, dtype=torch.int32)
        if wd > 0:
            w.mul_(1 - lr * wd)
        m, v = self.slots[m_key], self.slots[v_key]
        m.mul_(b1).add_(g * (1 - b1))
        v.mul_(b2).add_(g * g * (1 - b2))
        step_size = lr / (1 - b1 ** t)
        bc2 = math.sqrt(1 - b2 ** t)
        w.sub_(m / (v.sqrt() / bc2 + eps) * step_size)

    def load(self, state, device):
        known = {k: name for name in self.params for k in self._keys(name)}
        unknown = [k for k in state if k not in known]
        if unknown:
            raise OptimizerStateError(f"optimizer tensors for no parameter of this {self.kind.upper()} run: {', '.join(unknown[:5])}")
        for k, t in state.items():
            p = self.params[known[k]]
            if not k.endswith(".step") and tuple(t.shape) != tuple(p.shape):
                raise OptimizerStateError(f"optimizer tensor {k} has shape {list(t.shape)}, its parameter {list(p.shape)}")
            self.slots[k] = t.to(torch.int32) if k.endswith(".step") else t.to(device=device, dtype=torch.float32).clone()

    def state(self):
        return dict(self.slots)

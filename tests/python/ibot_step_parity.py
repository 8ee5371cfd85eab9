"""PyTorch side of tests/torchIbotStepParity.test.ts: one iBOT training step of
hvp_torch from our checkpoint on the exact views our trainer rendered for that step.

argv: a folder holding
  before.safetensors   our checkpoint before the step (encodeCheckpoint)
  after.safetensors    our checkpoint after the step
  inputs.safetensors   globals [G·M, S, S, 3] and locals [L·M, s, s, 3] (NHWC, normalised, as rendered),
                       table int32 [C, 2 + l] (candidates on a selection step, else the fixed rows),
                       masks float32 [G·M, T] (iBOT: our masks of the step's rendered globals)
  step.json            {stepIndex, kind: "select"|"fixed", mode, lr, weightDecay, srcHeight, srcWidth}
It loads the checkpoint with hvp_torch.checkpoint.load_run, draws the step's plan from the record's
streams (plan.draw_step) to compare with ours, runs hvp_torch.step.train_step with the step's lr
(plan.cosine_with_warmup), and writes torch.safetensors (save_run after the step, with our record of
the step after) and roundtrip.safetensors (save_run of the unchanged loaded run). Prints one JSON line:
selection, loss, combo losses, lr / weight decay, mask equality, per tensor (model and optimizer) against
after.safetensors [max |Δ|, max |Δ|/(1 + |ours|)], and whether the round trip kept every tensor bit for bit.
"""
import json
import os
import sys

import torch

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from hvp_torch import hvp  # noqa: E402
from hvp_torch.checkpoint import load_run, save_run  # noqa: E402
from hvp_torch.plan import Streams, cosine_with_warmup, draw_step  # noqa: E402
from hvp_torch.safetensors_io import read_safetensors  # noqa: E402
from hvp_torch.step import train_step  # noqa: E402

torch.set_num_threads(1)
folder = sys.argv[1]
path = lambda name: os.path.join(folder, name)  # noqa: E731
with open(path("step.json")) as f:
    info = json.load(f)
inputs, _ = read_safetensors(path("inputs.safetensors"))
before, _ = read_safetensors(path("before.safetensors"))
after, after_meta = read_safetensors(path("after.safetensors"))

# The round trip: the loaded, unchanged run saved again.
run = load_run(path("before.safetensors"), torch.device("cpu"))
save_run(path("roundtrip.safetensors"), run, run.record)
rt, _ = read_safetensors(path("roundtrip.safetensors"))
rt_diff = sorted(k for k in set(rt) | set(before) if k not in rt or k not in before or rt[k].dtype != before[k].dtype
                 or tuple(rt[k].shape) != tuple(before[k].shape) or not torch.equal(rt[k], before[k]))

config, s = run.config, info["stepIndex"]
assert run.step == s, f"checkpoint step {run.step}, expected {s}"
draw = draw_step(Streams(run.record["progress"], config["numTrainImages"], config["batchSize"]), config, s, info["srcHeight"], info["srcWidth"], hvp)
lr = cosine_with_warmup(s, config["learningRate"], config["totalSteps"], config["warmupSteps"])
table = inputs["table"].tolist()
plan_rows = draw.plan[2] if draw.plan[0] == "select" else draw.plan[1]
plan = ("select", info["mode"], table) if info["kind"] == "select" else ("fixed", table)

globals_ = inputs["globals"].permute(0, 3, 1, 2).contiguous()
locals_ = inputs["locals"].permute(0, 3, 1, 2).contiguous() if "locals" in inputs else None
masks_equal = None
if config["method"] == "ibot":
    run.method.begin_step(s)
    G = globals_.shape[0] // config["batchSize"]
    masks_equal = bool(torch.equal(run.method.step_masks(range(G), config["batchSize"]), inputs["masks"]))
wd, _ = run.method.step_optimization(s)
result = train_step(run, globals_, locals_, plan, lr, s)

theirs = {k: v for k, v in run.method.net.state_dict().items()}
theirs.update({"optimizer." + k: v for k, v in run.optimizer.state().items()})
diffs = {}
for k, v in after.items():
    if k not in theirs:
        diffs[k] = None
        continue
    d = (theirs[k].double() - v.double()).abs()
    diffs[k] = [float(d.max()), float((d / (1 + v.double().abs())).max())] if v.numel() else [0.0, 0.0]
extra = sorted(k for k in theirs if k not in after and not k.endswith("num_batches_tracked"))

record_after = json.loads(after_meta["hvp.record"])
record = dict(run.record)
record["progress"] = record_after["progress"]
save_run(path("torch.safetensors"), run, record)
print(json.dumps({
    "planEqual": [list(r) for r in plan_rows] == table,
    "lr": lr, "weightDecay": wd, "masksEqual": masks_equal,
    "selected": result.selected.tolist(), "loss": result.loss,
    "comboLosses": None if result.candidate_losses is None else result.candidate_losses.flatten().tolist(),
    "diffs": diffs, "extra": extra, "roundTripDiffers": rt_diff,
}))

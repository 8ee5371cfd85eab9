"""One training step in PyTorch from a checkpoint, on inputs captured from our step
(tests/torchStepParity.test.ts). Usage: step_parity.py DIR, where DIR holds before.safetensors,
capture.json (plan, selection, loss, lr, weight decay, view shapes), globals.f32 and locals.f32
(NHWC float32 as rendered). Checks save_run of the unchanged loaded run (every tensor bit-identical,
record kept), runs hvp_torch.step.train_step and writes DIR/torch.safetensors. Prints one JSON line:
loss, selected, lr, weightDecay, roundTripBitIdentical, roundTripMismatch."""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
from hvp_torch.checkpoint import load_run, save_run  # noqa: E402
from hvp_torch.multicrop_methods import cosine_with_warmup, dino_weight_decay  # noqa: E402
from hvp_torch.safetensors_io import read_safetensors  # noqa: E402
from hvp_torch.step import train_step  # noqa: E402

torch.set_num_threads(1)
d = sys.argv[1]
cap = json.load(open(os.path.join(d, "capture.json")))
src = os.path.join(d, "before.safetensors")
run = load_run(src, torch.device("cpu"))
config = run.config

# save_run of the unchanged run: the same names, dtypes, shapes and bytes, the record kept.
copy = os.path.join(d, "copy.safetensors")
save_run(copy, run, run.record)
a, ma = read_safetensors(src)
b, mb = read_safetensors(copy)
mismatch = sorted(set(a) ^ set(b))
for k in set(a) & set(b):
    if a[k].dtype != b[k].dtype or a[k].shape != b[k].shape or not torch.equal(a[k], b[k]):
        mismatch.append(k)
if json.loads(ma["hvp.record"]) != json.loads(mb["hvp.record"]):
    mismatch.append("hvp.record")


def views(name, shape):
    if not shape or 0 in shape:
        return None
    x = np.fromfile(os.path.join(d, name), dtype=np.float32).reshape(shape)
    return torch.from_numpy(x).permute(0, 3, 1, 2).contiguous()                 # NHWC → NCHW


g = views("globals.f32", cap["globalsShape"])
l = views("locals.f32", cap.get("localsShape"))
s = cap["stepIndex"]
lr = cosine_with_warmup(s, config["learningRate"], config["totalSteps"], config["warmupSteps"])
wd = dino_weight_decay(s, config["weightDecay"], config["weightDecayEnd"], config["totalSteps"]) if config["method"] in ("dino", "ibot") else None
p = cap["plan"]
if p["kind"] == "select":
    plan = ("select", p["mode"], p["candidates"])
else:
    M = cap["globalsShape"][0] // 2
    plan = ("fixed", p["chosen"] if p["chosen"] is not None else [0] * M)
r = train_step(run, g, l, plan, lr, s)
save_run(os.path.join(d, "torch.safetensors"), run, {**run.record, "progress": {**run.record["progress"], "step": run.step}})
print(json.dumps({"loss": r.loss, "selected": [int(i) for i in r.selected.tolist()], "lr": lr, "weightDecay": wd,
                  "roundTripBitIdentical": not mismatch, "roundTripMismatch": mismatch}))

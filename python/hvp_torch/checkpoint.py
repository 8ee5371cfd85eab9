"""Our checkpoint (a .safetensors file) as a run in torch, and back.

The file holds the model's tensors under their state_dict names in PyTorch layouts (conv OIHW,
linear [out, in], `num_batches_tracked` int64 = steps done), the optimizer's under `optimizer.`
(same layouts), and the record JSON in the metadata key `hvp.record`
(src/core/checkpoint/checkpointFile.ts, record.ts). Loading is strict: a tensor the model lacks,
or one it needs that the file lacks, is refused by name. Saving writes the same names, dtypes and
shapes, `num_batches_tracked` = the step, and the record with `progress` and the `tensors` lists
updated (every other field kept as read, `history` as the run loop left it).

API
  RunState: record (dict), config (dict), method (nn.Module with .net), optimizer (optim.Optimizer), step (int)
  load_run(path, device) -> RunState
  save_run(path, run, record) -> None    (atomic)
  CheckpointError     the message names the file, what is wrong and what to do
"""
import json
from dataclasses import dataclass

import torch

from .optim import Optimizer, OptimizerStateError
from .multicrop_methods import make_multicrop_method
from .pair_methods import make_pair_method
from .safetensors_io import SafetensorsError, read_safetensors, write_safetensors

RECORD_KEY = "hvp.record"
OPTIMIZER_PREFIX = "optimizer."
FORMAT = "hvp-playground/checkpoint"
READABLE_VERSION = 1
PAIR_METHODS = ("simsiam", "simclr", "byol")
MULTI_CROP_METHODS = ("dino", "ibot")


class CheckpointError(Exception):
    def __init__(self, message, hint=""):
        super().__init__(message)
        self.hint = hint


@dataclass
class RunState:
    record: dict
    config: dict
    method: torch.nn.Module
    optimizer: Optimizer
    step: int


def _record_of(path, metadata):
    raw = metadata.get(RECORD_KEY)
    if raw is None:
        raise CheckpointError(f"{path} is a safetensors file but not an HVP Playground checkpoint (no \"{RECORD_KEY}\" record).",
                              "Choose a checkpoint exported by HVP Playground, its CLI or hvp_torch (not a backbone export).")
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as e:
        raise CheckpointError(f"{path}: the run record is not valid JSON ({e}).", "The file is damaged; export it again.")
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise CheckpointError(f"{path}: the record is not an HVP Playground run record.", "Choose a checkpoint exported by HVP Playground.")
    version = record.get("version")
    if not isinstance(version, int) or version > READABLE_VERSION:
        raise CheckpointError(f"{path} uses checkpoint format version {version}; hvp_torch reads up to {READABLE_VERSION}.", "Update this repository (git pull).")
    for key in ("config", "progress", "dataset", "history", "tensors"):
        if not isinstance(record.get(key), dict):
            raise CheckpointError(f"{path}: the record has no valid \"{key}\".", "The file is damaged; export it again.")
    return record


def _check_supported(path, config):
    method, backbone = config.get("method"), config.get("backbone")
    if method not in PAIR_METHODS + MULTI_CROP_METHODS:
        raise CheckpointError(f"{path} is a {method} run; hvp_torch continues SimSiam, SimCLR, BYOL, DINO and iBOT runs.",
                              "Continue this run in the browser or with the Node CLI (npm run cli -- resume).")
    if backbone not in ("resnet10", "resnet18") and not (backbone == "vit" and method in MULTI_CROP_METHODS):
        raise CheckpointError(f"{path} uses the {backbone} backbone; hvp_torch has the CIFAR ResNets (resnet10, resnet18) so far.",
                              "Continue this run in the browser or with the Node CLI (npm run cli -- resume).")


def load_run(path, device) -> RunState:
    try:
        tensors, metadata = read_safetensors(path)
    except SafetensorsError as e:
        raise CheckpointError(str(e), "Choose a .safetensors checkpoint exported by HVP Playground, its CLI or hvp_torch.")
    record = _record_of(path, metadata)
    config = record["config"]
    _check_supported(path, config)
    method = (make_multicrop_method(config) if config["method"] in MULTI_CROP_METHODS else make_pair_method(config)).to(device)
    model_state = {k: v for k, v in tensors.items() if not k.startswith(OPTIMIZER_PREFIX)}
    expected = method.net.state_dict()
    missing = sorted(set(expected) - set(model_state))
    extra = sorted(set(model_state) - set(expected))
    if missing or extra:
        what = "; ".join(s for s in (f"missing {', '.join(missing[:5])}" if missing else "", f"unexpected {', '.join(extra[:5])}" if extra else "") if s)
        raise CheckpointError(f"{path} does not fit a {config['method']} {config['backbone']} (width {config.get('backboneWidth')}) model: {what}.",
                              "The file was edited or damaged; export it again from the run that made it.")
    for k, v in model_state.items():
        if tuple(v.shape) != tuple(expected[k].shape):
            raise CheckpointError(f"{path}: tensor {k} has shape {list(v.shape)}, the run's settings make it {list(expected[k].shape)}.",
                                  "The file was edited or damaged; export it again from the run that made it.")
        if v.is_floating_point() and not torch.isfinite(v).all():
            raise CheckpointError(f"{path}: tensor {k} holds NaN or infinite values.", "Resume from an earlier checkpoint of this run.")
    method.net.load_state_dict({k: v.to(expected[k].dtype) for k, v in model_state.items()}, strict=True)
    method.train()
    params = {n: p for n, p in method.net.named_parameters() if p.requires_grad}
    optimizer = Optimizer(config, params, method.is_no_decay)
    try:
        optimizer.load({k[len(OPTIMIZER_PREFIX):]: v for k, v in tensors.items() if k.startswith(OPTIMIZER_PREFIX)}, device)
    except OptimizerStateError as e:
        raise CheckpointError(f"{path}: {e}.", "The file was edited or damaged; export it again from the run that made it.")
    return RunState(record=record, config=config, method=method, optimizer=optimizer, step=int(record["progress"]["step"]))


def save_run(path, run: RunState, record):
    tensors = {}
    state = run.method.net.state_dict()
    for k, v in state.items():
        tensors[k] = torch.tensor(run.step, dtype=torch.int64) if k.endswith("num_batches_tracked") else v.float()
    opt = run.optimizer.state()
    for k, v in opt.items():
        tensors[OPTIMIZER_PREFIX + k] = v
    record = dict(record)
    record["tensors"] = {"model": sorted(k for k in state if not k.endswith("num_batches_tracked")), "optimizer": sorted(opt)}
    write_safetensors(path, tensors, {"format": "pt", RECORD_KEY: json.dumps(record, separators=(",", ":"), allow_nan=False)})

"""Our checkpoint (a .safetensors file) as a run in torch, and back.

The file holds the model's tensors under their state_dict names in PyTorch layouts (conv OIHW,
linear [out, in], `num_batches_tracked` int64 = steps done), the optimizer's under `optimizer.`
(same layouts), and the record JSON in the metadata key `hvp.record`
(src/core/checkpoint/checkpointFile.ts, record.ts). Loading is strict: a tensor the model lacks,
or one it needs that the file lacks, is refused by name; so is a tensor whose stored bytes do not
match the record's CRC-32 (`tensorCrc32`, when the file has it), a non-finite weight or optimizer
value, a negative BatchNorm running variance, or an integer dtype where floats belong. Saving
writes the same names, dtypes and shapes, `num_batches_tracked` = the step, and the record with
`progress`, the `tensors` lists and `tensorCrc32` (zlib.crc32 of each tensor's stored bytes, the
same as the TypeScript writer's) updated, and the record's own CRC-32 in the metadata key
`hvp.recordCrc32` (checked on load when present) (every other field kept as read, `history` as the run
loop left it).

API
  RunState: record (dict), config (dict), method (nn.Module with .net), optimizer (optim.Optimizer), step (int)
  load_run(path, device) -> RunState
  save_run(path, run, record) -> None    (atomic)
  CheckpointError     the message names the file, what is wrong and what to do
"""
import json
import zlib
from dataclasses import dataclass

import torch

from .optim import Optimizer, OptimizerStateError
from .multicrop_methods import make_multicrop_method
from .pair_methods import make_pair_method
from .safetensors_io import SafetensorsError, read_safetensors, tensor_bytes, write_safetensors
from .variants import unsupported_variant

RECORD_KEY = "hvp.record"
RECORD_CRC_KEY = "hvp.recordCrc32"
CRC_KEY = "tensorCrc32"
DAMAGED = "The file is damaged; copy or export it again, or resume from an earlier checkpoint of this run."
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
    crc = metadata.get(RECORD_CRC_KEY)
    if crc is not None and crc != str(zlib.crc32(raw.encode("utf-8"))):
        raise CheckpointError(f"{path}: the run record fails its checksum ({RECORD_CRC_KEY}).", DAMAGED)
    try:
        record = json.loads(raw)
    except (json.JSONDecodeError, RecursionError) as e:
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
    variant = unsupported_variant(config)
    if variant is not None:
        raise CheckpointError(f"{path} {variant[0]}", variant[1])


def _check_tensors(path, record, tensors, crcs):
    """Checksums (when the record has them), dtypes, finiteness and running variances, by tensor name."""
    want = record.get(CRC_KEY)
    if want is not None:
        if not isinstance(want, dict) or set(want) != set(tensors) or not all(isinstance(v, int) for v in want.values()):
            raise CheckpointError(f"{path}: the record's tensor checksums do not cover exactly the file's tensors.", DAMAGED)
        for name in sorted(tensors):
            if want[name] != crcs[name]:
                raise CheckpointError(f"{path}: tensor {name} fails its checksum (CRC-32 {crcs[name]:#010x}, the record says {want[name]:#010x}).", DAMAGED)
    for name, t in tensors.items():
        is_count = name.endswith("num_batches_tracked") or (name.startswith(OPTIMIZER_PREFIX) and name.endswith(".step"))
        if is_count != (not t.is_floating_point()):
            raise CheckpointError(f"{path}: tensor {name} is stored as {t.dtype}, but it holds {'a count' if is_count else 'floating-point numbers'}.", DAMAGED)
        if t.is_floating_point() and not torch.isfinite(t).all():
            raise CheckpointError(f"{path}: tensor {name} holds NaN or infinite values.", DAMAGED)
        if name.endswith(".running_var") and not name.startswith(OPTIMIZER_PREFIX) and (t < 0).any():
            raise CheckpointError(f"{path}: BatchNorm running variance {name} holds a negative value.", DAMAGED)


def load_run(path, device) -> RunState:
    crcs = {}
    try:
        tensors, metadata = read_safetensors(path, crcs)
    except SafetensorsError as e:
        raise CheckpointError(str(e), "Choose a .safetensors checkpoint exported by HVP Playground, its CLI or hvp_torch.")
    record = _record_of(path, metadata)
    _check_tensors(path, record, tensors, crcs)
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
    record[CRC_KEY] = {k: zlib.crc32(tensor_bytes(v)) for k, v in sorted(tensors.items())}
    text = json.dumps(record, separators=(",", ":"), allow_nan=False)
    write_safetensors(path, tensors, {"format": "pt", RECORD_KEY: text, RECORD_CRC_KEY: str(zlib.crc32(text.encode("utf-8")))})

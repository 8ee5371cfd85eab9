"""Load an HVP Playground checkpoint (.safetensors) into PyTorch; needs only torch and torchvision.

read_safetensors(path) -> (tensors, metadata): the file read by hand (struct + json + torch.frombuffer,
    no safetensors package); metadata values that hold JSON objects/arrays are decoded.
cifar_resnet(layers) -> torchvision ResNet with the CIFAR stem of our backbone (3x3 stride-1 conv1,
    no max-pool) and fc = Identity, so model(x) gives the pooled features [B, 512].
backbone_state(tensors): the backbone part: keys under "backbone." (a full checkpoint) with the prefix
    stripped, or all tensors (an exported backbone, already bare torchvision keys).
load_backbone(path) -> (model in eval mode, metadata): the backbone state loaded with strict=True.
Inputs are NCHW float32 RGB in [0, 1], normalised with mean (0.4914, 0.4822, 0.4465), std (0.247, 0.243, 0.261).
Usage: python3 python/load_checkpoint.py backbone.safetensors
"""
import json
import struct
import sys

import torch
import torchvision

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
          "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8, "BOOL": torch.bool}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_len].decode("utf-8"))
    metadata = {k: json.loads(v) if v[:1] in "{[" else v for k, v in header.pop("__metadata__", {}).items()}
    tensors = {}
    for name, entry in header.items():
        dtype = DTYPES[entry["dtype"]]
        begin, end = entry["data_offsets"]
        count = (end - begin) // torch.empty(0, dtype=dtype).element_size()
        flat = torch.frombuffer(data, dtype=dtype, offset=8 + header_len + begin, count=count) if count else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(entry["shape"]).clone()
    return tensors, metadata


def cifar_resnet(layers=(2, 2, 2, 2)):
    model = torchvision.models.resnet.ResNet(torchvision.models.resnet.BasicBlock, list(layers))
    model.conv1 = torch.nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
    model.maxpool = torch.nn.Identity()
    model.fc = torch.nn.Identity()
    return model


def backbone_state(tensors):
    return {k[len("backbone."):]: v for k, v in tensors.items() if k.startswith("backbone.")} or tensors


def load_backbone(path):
    tensors, metadata = read_safetensors(path)
    state = backbone_state(tensors)
    width = state["conv1.weight"].shape[0]
    if width != 64:
        raise ValueError(f"{path}: backbone width {width}; torchvision ResNets have width 64 (train with backboneWidth 64)")
    layers = [len({k.split(".")[1] for k in state if k.startswith(f"layer{i}.")}) for i in range(1, 5)]
    model = cifar_resnet(layers)
    model.load_state_dict(state, strict=True)
    return model.eval(), metadata


if __name__ == "__main__":
    net, meta = load_backbone(sys.argv[1])
    blocks = [len(getattr(net, f"layer{i}")) for i in range(1, 5)]
    print(f"loaded a CIFAR ResNet {blocks} with {sum(p.numel() for p in net.parameters()):,} parameters; features [B, 512]")
    print(json.dumps(meta, indent=2))

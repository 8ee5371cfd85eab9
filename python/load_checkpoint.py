"""Load an HVP Playground checkpoint (.safetensors) into PyTorch; needs only torch and torchvision.

read_safetensors(path) -> (tensors, metadata): the file read by hand (struct + json + torch.frombuffer,
    no safetensors package); metadata values that hold JSON objects/arrays are decoded.
cifar_resnet(layers, width) -> torchvision ResNet with the CIFAR stem of our backbone (3x3 stride-1 conv1,
    no max-pool) and fc = Identity, so model(x) gives the pooled features [B, 8 * width]. width 64 is
    torchvision's resnet18/34 layout; other widths (the app's backboneWidth) use the same BasicBlocks
    and module names with stage widths width, 2w, 4w, 8w.
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


def cifar_resnet(layers=(2, 2, 2, 2), width=64):
    resnet = torchvision.models.resnet
    model = resnet.ResNet(resnet.BasicBlock, list(layers))
    model.conv1 = torch.nn.Conv2d(3, width, kernel_size=3, stride=1, padding=1, bias=False)
    model.bn1 = torch.nn.BatchNorm2d(width)
    model.maxpool = torch.nn.Identity()
    model.fc = torch.nn.Identity()
    if width != 64:  # rebuild the stages at this width, as torchvision's _make_layer does at 64
        inplanes = width
        for i, num_blocks in enumerate(layers):
            planes, stride, blocks = width * 2 ** i, 1 if i == 0 else 2, []
            for b in range(num_blocks):
                s = stride if b == 0 else 1
                down = None
                if s != 1 or inplanes != planes:
                    down = torch.nn.Sequential(resnet.conv1x1(inplanes, planes, s), torch.nn.BatchNorm2d(planes))
                blocks.append(resnet.BasicBlock(inplanes, planes, s, down))
                inplanes = planes
            setattr(model, f"layer{i + 1}", torch.nn.Sequential(*blocks))
    return model


def backbone_state(tensors):
    return {k[len("backbone."):]: v for k, v in tensors.items() if k.startswith("backbone.")} or tensors


def load_backbone(path):
    tensors, metadata = read_safetensors(path)
    state = backbone_state(tensors)
    if "conv1.weight" not in state:
        raise ValueError(f"{path}: no backbone.conv1.weight: not an HVP Playground ResNet checkpoint or backbone export")
    width = state["conv1.weight"].shape[0]
    layers = [len({k.split(".")[1] for k in state if k.startswith(f"layer{i}.")}) for i in range(1, 5)]
    model = cifar_resnet(layers, width)
    model.load_state_dict(state, strict=True)
    return model.eval(), metadata


if __name__ == "__main__":
    net, meta = load_backbone(sys.argv[1])
    blocks = [len(getattr(net, f"layer{i}")) for i in range(1, 5)]
    dim = net.layer4[-1].conv2.out_channels
    print(f"loaded a CIFAR ResNet {blocks} with {sum(p.numel() for p in net.parameters()):,} parameters; features [B, {dim}]")
    print(json.dumps(meta, indent=2))

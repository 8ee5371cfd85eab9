"""PyTorch side of tests/torchInterop.test.ts.

argv: input.safetensors (key "input": NCHW float32 images), then one or more checkpoint files (an
exported backbone or a full checkpoint). Each is loaded through python/load_checkpoint.py
(load_state_dict strict=True, so any missing or unexpected key or shape mismatch fails here) and run
in eval mode on the input. Prints one JSON line: per file the features, their shape, the keys that
differ from an unmodified torchvision resnet18's state_dict, num_batches_tracked and the metadata.
"""
import json
import os
import sys

import torch
import torchvision

sys.dont_write_bytecode = True  # no __pycache__ in the repository's python/ folder
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from load_checkpoint import backbone_state, cifar_resnet, load_backbone, read_safetensors  # noqa: E402

x = read_safetensors(sys.argv[1])[0]["input"]
results = []
for path in sys.argv[2:]:
    model, metadata = load_backbone(path)
    state = backbone_state(read_safetensors(path)[0])
    width = state["conv1.weight"].shape[0]
    # Width 64 resnet18: an unmodified torchvision resnet18's keys (the CIFAR stem changes shapes, not names).
    reference = torchvision.models.resnet18() if width == 64 and len(model.layer1) == 2 else cifar_resnet([len(model.layer1), len(model.layer2), len(model.layer3), len(model.layer4)], width)
    expected_keys = set(reference.state_dict().keys()) - ({"fc.weight", "fc.bias"} if width == 64 else set())
    with torch.no_grad():
        features = model(x)
    results.append({
        "features": features.flatten().tolist(),
        "shape": list(features.shape),
        "missing": sorted(expected_keys - set(state)),
        "unexpected": sorted(set(state) - expected_keys),
        "num_batches_tracked": {"dtype": str(state["bn1.num_batches_tracked"].dtype), "value": int(state["bn1.num_batches_tracked"])},
        "metadata": metadata,
    })
print(json.dumps({"torch": torch.__version__, "results": results}))

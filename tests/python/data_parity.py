"""Parity driver for tests/torchDataParity.test.ts: for each case of the JSON request (argv[1]) it
builds the run dataset with hvp_torch.data.import_run_dataset and answers, on stdout, its name,
fingerprint, SHA-256 of the train/test pixels and labels, class names, skipped files and warnings
(or the error). Run by the test with a Python that has torch."""
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
import torch  # noqa: E402
from hvp_torch.data import fingerprint_dataset, import_run_dataset  # noqa: E402


def sha(t):
    if t is None:
        return None
    return hashlib.sha256(t.contiguous().numpy().tobytes()).hexdigest()


def main():
    cases = json.load(open(sys.argv[1]))
    out = []
    for case in cases:
        try:
            d = import_run_dataset(case["paths"], case["config"], case.get("name"))
        except Exception as e:  # noqa: BLE001 — the test compares the message
            out.append({"error": f"{type(e).__name__}: {e}"})
            continue
        assert d.train.images.dtype == torch.uint8 and d.train.images.dim() == 4 and d.train.images.shape[-1] == 3
        assert d.train.labels is None or d.train.labels.dtype == torch.int32
        out.append({
            "name": d.name,
            "sourceName": d.source_name,
            "fingerprint": fingerprint_dataset(d),
            "train": {"n": d.train.num_images, "images": sha(d.train.images), "labels": sha(d.train.labels)},
            "test": {"n": d.test.num_images, "images": sha(d.test.images), "labels": sha(d.test.labels)},
            "classNames": d.class_names,
            "skipped": [{"path": s.path, "reason": s.reason} for s in d.skipped],
            "warnings": d.warnings,
        })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

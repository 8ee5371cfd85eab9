"""Parity driver for tests/torchRandomViews.test.ts: reads a JSON request (argv[1]), answers JSON on
stdout with what hvp_torch.random / hvp_torch.views compute for it; renders views into argv[2]'s
folder as raw float32 files. Run by the test with a Python that has torch."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
import torch  # noqa: E402
from hvp_torch import random as hr  # noqa: E402
from hvp_torch import views as hv  # noqa: E402
from hvp_torch.data.batch_sampler import BatchSampler  # noqa: E402


def run_ops(rng, ops):
    out = []
    for op in ops:
        name, args = op[0], op[1:]
        if name == "next":
            out.append([rng.next() for _ in range(args[0])])
        elif name == "u32":
            out.append([rng.next_u32() for _ in range(args[0])])
        elif name == "uniform":
            out.append([rng.uniform(args[0], args[1]) for _ in range(args[2])])
        elif name == "int":
            out.append([rng.int(args[0]) for _ in range(args[1])])
        elif name == "intRange":
            out.append([rng.int_range(args[0], args[1]) for _ in range(args[2])])
        elif name == "bernoulli":
            out.append([rng.bernoulli(args[0]) for _ in range(args[1])])
        elif name == "normal":
            out.append([rng.normal() for _ in range(args[0])])
        elif name == "permutation":
            out.append(rng.permutation(args[0]))
        else:
            raise ValueError(name)
    return out


def main():
    req = json.load(open(sys.argv[1]))
    out_dir = sys.argv[2]
    res = {
        "hashes": [hr.hash_string(s) for s in req["hashes"]],
        "derived": [hr.derive_seed(seed, name) for seed, name in req["derived"]],
        "rng": [],
        "views": [],
        "pairs": [],
        "renders": [],
        "samplers": [],
    }
    for case in req.get("samplers", []):
        sampler = BatchSampler(case["numImages"], case["batchSize"], case.get("state", case.get("seed")))
        batches = [sampler.next_batch() for _ in range(case["numBatches"])]
        res["samplers"].append({"batches": batches, "state": sampler.get_state(), "epoch": sampler.epoch})
    for case in req["rng"]:
        rng = hr.rng_from_state(case["state"]) if "state" in case else hr.create_rng(case["seed"])
        res["rng"].append({"draws": run_ops(rng, case["ops"]), "state": list(rng.get_state())})
    for case in req["views"]:
        rng = hr.rng_from_state(case["state"]) if "state" in case else hr.create_rng(hr.derive_seed(case["seed"], "views"))
        steps = []
        for _ in range(case["numSteps"]):
            g, l = hv.sample_step_views(rng, case["config"], case["numImages"], case["height"], case["width"])
            steps.append({"globals": [p.to_ts() for p in g], "locals": [p.to_ts() for p in l]})
        res["views"].append({"steps": steps, "state": list(rng.get_state())})
    for case in req["pairs"]:
        ps = [hv.ViewParams.from_ts(p) for p in case["params"]]
        n, m, h, w = case["numViews"], case["numImages"], case["height"], case["width"]
        res["pairs"].append({
            "ious": hv.pair_ious(ps, n, m).flatten().tolist(),
            "centers": hv.pair_center_distances(ps, n, m, h, w).flatten().tolist(),
            "jitter": [hv.jitter_distance(ps[k * m + i], ps[l * m + i]) for i in range(m) for (k, l) in hv.pair_list(n)],
            "scales": [hv.crop_scale(p, h, w) for p in ps],
        })
    device = torch.device(req.get("device", "cpu"))
    for i, case in enumerate(req["renders"]):
        raw = open(os.path.join(out_dir, case["imagesFile"]), "rb").read()
        m, h, w = case["numImages"], case["height"], case["width"]
        images = torch.frombuffer(bytearray(raw), dtype=torch.uint8).reshape(m, h, w, 3).to(device)
        ps = [hv.ViewParams.from_ts(p) for p in case["params"]]
        x = hv.render_views(images, ps, case["outSize"], case.get("mean"), case.get("std"))  # [V, 3, S, S]
        nhwc = x.permute(0, 2, 3, 1).contiguous().cpu()  # [V, S, S, 3] as the TS reference
        name = f"render_{i}.f32"
        open(os.path.join(out_dir, name), "wb").write(nhwc.numpy().astype("<f4").tobytes())
        res["renders"].append({"file": name, "shape": list(x.shape), "dtype": str(x.dtype)})
    json.dump(res, sys.stdout)


if __name__ == "__main__":
    main()

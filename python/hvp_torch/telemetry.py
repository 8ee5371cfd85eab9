"""HVP telemetry of a step, for the history the continuation appends: the IoU of the selected
pairs against all pairs, how often the selected pair is the image's lowest-IoU pair (the paper's
Fig. 2; chance 1/C(N,2)), and the IoU of a random pair from a side stream that advances no run
stream — src/core/train/telemetry.ts (pair methods) and multiCropTelemetry.ts (DINO, iBOT: over
the G global views, candidate pairs even × odd). The pair-property histograms (`pairStats`) are
not computed here; history records without them are valid (the app shows them for the steps that
have them).

API
  pair_telemetry(params, num_views, num_images, selected, seed, step) -> dict
  multicrop_telemetry(global_params, num_globals, num_images, chosen_globals, seed, step) -> dict
    step: the completed-step count of the step (names the random-pair side stream).
    Both return {selectedIou, meanIou, lowestIouHitRate, randomPairIou}.
"""
from .random import create_rng, derive_seed
from .views import box_iou, pair_list


def random_pair_stream(step):
    """Name of the random-pair side stream at `step` (randomPairStream in telemetry.ts)."""
    return f"telemetry-random-pair-{step}"


def pair_telemetry(params, num_views, num_images, selected, seed, step):
    """params: view-major N·M ViewParams; selected: pair index per image (pair_list order)."""
    pairs = pair_list(num_views)
    rng = create_rng(derive_seed(seed, random_pair_stream(step)))
    sel = total = hits = rand = 0.0
    for m in range(num_images):
        ious = [box_iou(params[k * num_images + m], params[l * num_images + m]) for k, l in pairs]
        s = ious[int(selected[m])]
        sel += s
        total += sum(ious)
        hits += 1 if s <= min(ious) else 0
        rand += ious[rng.int(len(ious))]
    return {"selectedIou": sel / num_images, "meanIou": total / (num_images * len(pairs)),
            "lowestIouHitRate": hits / num_images, "randomPairIou": rand / num_images}


def candidate_global_pairs(num_globals):
    """(even, odd) global pairs, even-major (candidateGlobalPairs in combinations.ts)."""
    return [(e, o) for e in range(0, num_globals, 2) for o in range(1, num_globals, 2)]


def multicrop_telemetry(global_params, num_globals, num_images, chosen_globals, seed, step):
    """chosen_globals: the chosen (even, odd) global ids per image, flat [M·2]."""
    cands = candidate_global_pairs(num_globals)
    rng = create_rng(derive_seed(seed, random_pair_stream(step)))
    box = lambda k, m: global_params[k * num_images + m]
    sel = total = hits = rand = 0.0
    for m in range(num_images):
        e, o = int(chosen_globals[2 * m]), int(chosen_globals[2 * m + 1])
        ious = [box_iou(box(a, m), box(b, m)) for a, b in cands]
        s = box_iou(box(e, m), box(o, m))
        sel += s
        total += sum(ious)
        hits += 1 if s <= min(ious) else 0
        rand += ious[rng.int(len(ious))]
    return {"selectedIou": sel / num_images, "meanIou": total / (num_images * len(cands)),
            "lowestIouHitRate": hits / num_images, "randomPairIou": rand / num_images}

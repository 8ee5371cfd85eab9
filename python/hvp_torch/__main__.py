"""Command line of the PyTorch continuation (run from the repository's python/ folder):

  python3 -m hvp_torch resume RUN.safetensors --data PATH [PATH …] --steps S --out FILE
          [--device auto|cuda|cpu] [--sync-bn] [--save-every K] [--quiet]
  torchrun --nproc_per_node=K -m hvp_torch resume …      (the same flags; DDP over K processes)

--steps is the absolute step to stop at (as the Node CLI's), capped at the run's totalSteps.
Exit codes: 0 done, 1 a problem with the files or the run (message + hint), 2 bad flags.
"""
import argparse
import sys

from .checkpoint import CheckpointError
from .distributed import DistributedSetupError
from .run import ResumeOptions, UserError, resume


def _parser():
    p = argparse.ArgumentParser(prog="python3 -m hvp_torch", description="Continue an HVP Playground run in PyTorch.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("resume", help="continue a run from its checkpoint and its data files")
    r.add_argument("checkpoint", help="the run's .safetensors checkpoint (browser export, CLI or PyTorch save)")
    r.add_argument("--data", nargs="+", action="extend", default=[], metavar="PATH",
                   help="the files the run's dataset was imported from: CIFAR .tar.gz/.bin, IDX .gz/raw, an image folder or .zip")
    r.add_argument("--steps", type=int, default=None, help="absolute step to stop at (default: the run's totalSteps)")
    r.add_argument("--out", required=True, help="checkpoint to write (written atomically; may equal the input)")
    r.add_argument("--device", default="auto", choices=["auto", "cuda", "cpu"], help="default: CUDA when available")
    r.add_argument("--sync-bn", action="store_true", help="under torchrun: BatchNorm over the global batch instead of each process's shard")
    r.add_argument("--save-every", type=int, default=0, metavar="K", help="also save every K completed steps")
    r.add_argument("--quiet", action="store_true", help="print errors only")
    return p


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.steps is not None and args.steps < 1:
        print(f"error: --steps {args.steps}: give the absolute step to stop at, a whole number ≥ 1.", file=sys.stderr)
        return 2
    if args.save_every < 0:
        print(f"error: --save-every {args.save_every}: give 0 (only at the end) or a positive number of steps.", file=sys.stderr)
        return 2
    try:
        resume(ResumeOptions(checkpoint=args.checkpoint, data=args.data, steps=args.steps, out=args.out, device=args.device,
                             sync_bn=args.sync_bn, save_every=args.save_every, quiet=args.quiet,
                             log=lambda s: print(s, flush=True)))
    except (UserError, CheckpointError, DistributedSetupError) as e:
        print(f"error: {e}", file=sys.stderr)
        hint = getattr(e, "hint", "")
        if hint:
            print(f"hint: {hint}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

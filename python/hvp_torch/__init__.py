"""hvp_torch: continue an HVP Playground run in PyTorch — one GPU, or many under torchrun — and
write our checkpoint format back, so the browser and the Node CLI open and resume it.

Needs only torch and torchvision (Debian: python3-torch, python3-torchvision). Run from python/:
  python3 -m hvp_torch resume RUN.safetensors --data FILES… --steps S --out OUT.safetensors

Module map (one idea each):
  __main__        the command line                   run            the resume loop
  checkpoint      our .safetensors ⇄ a torch run     safetensors_io the file format, by hand
  models          ResNets and heads, our names       pair_methods   SimSiam, SimCLR, BYOL losses + selection scores
  vit             the ViT (timm names, drop_path)    multicrop_methods  DINO: teacher, center, schedules, combo scores
  hvp             selection rule, random pairs,      step           one HVP step (DDP-aware; pair and multi-crop)
                  multi-crop combination tables
  optim           SGD, LARS, AdamW as ours           plan           what a step draws from the run's streams
  views, views_render  view parameters and rendering (exactly the browser's)
  random          the browser's generators (sfc32)   data/          the browser's importers, split, fingerprint
  telemetry       IoU summary of a step              knn            weighted kNN evaluation
  distributed     torchrun, shards, GlobalBatchNorm
  ibot            iBOT: head, teacher, 2 centers, patch loss   ibot_masks  iBOT's block masks (bit-exact ours)
"""

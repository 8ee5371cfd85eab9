"""Weighted kNN top-1 on the held-out split, as the app evaluates a run (src/core/eval/knn.ts,
src/core/train/evaluate.ts): the first numKnnBankImages training images are the bank, every
held-out image a query; features are the method's `embed` (eval mode) of the whole image,
L2-normalised; the top-k neighbours by cosine similarity vote for their class with weight
exp(sim / T); the largest summed weight wins.

API
  normalized_images(images_uint8 [n,H,W,3], mean, std, device) -> float32 [n,3,H,W]
  knn_top1(embed, train_images, train_labels, test_images, test_labels, k, temperature,
           num_classes, mean, std, num_bank, device, chunk=256) -> (top1, num_bank, num_queries)
"""
import torch


def normalized_images(images, mean, std, device):
    """uint8 NHWC pixels → the network's input: (x/255 − mean) / std, NCHW float32."""
    x = images.to(device).permute(0, 3, 1, 2).float().div_(255.0)                 # [n, 3, H, W]
    m = torch.tensor(mean, dtype=torch.float32, device=device).view(1, 3, 1, 1)
    s = torch.tensor(std, dtype=torch.float32, device=device).view(1, 3, 1, 1)
    return (x - m) / s


@torch.no_grad()
def _features(embed, images, mean, std, device, chunk):
    parts = []
    for start in range(0, images.shape[0], chunk):
        f = embed(normalized_images(images[start:start + chunk], mean, std, device))  # [c, F]
        parts.append(f / (f.norm(dim=1, keepdim=True) + 1e-12))
    return torch.cat(parts)                                                         # [n, F]


@torch.no_grad()
def knn_top1(embed, train_images, train_labels, test_images, test_labels, *, k, temperature, num_classes,
             mean, std, num_bank, device, chunk=256):
    """Top-1 accuracy in [0, 1] of the weighted kNN vote; `embed` maps normalised NCHW to [n, F]."""
    num_bank = min(num_bank, train_images.shape[0])
    bank = _features(embed, train_images[:num_bank], mean, std, device, chunk)          # [B, F]
    queries = _features(embed, test_images, mean, std, device, chunk)                   # [Q, F]
    bank_labels = train_labels[:num_bank].to(device).long()                             # [B]
    query_labels = test_labels.to(device).long()                                        # [Q]
    kk = min(k, num_bank)
    correct = 0
    for start in range(0, queries.shape[0], chunk):
        sim = queries[start:start + chunk] @ bank.T                                     # [q, B]
        values, indices = sim.topk(kk, dim=1)                                           # [q, k]
        weights = (values / temperature).exp()                                          # [q, k]
        votes = torch.zeros(sim.shape[0], num_classes, device=device)                   # [q, C]
        votes.scatter_add_(1, bank_labels[indices], weights)
        correct += int((votes.argmax(1) == query_labels[start:start + chunk]).sum())
    return correct / max(1, queries.shape[0]), num_bank, int(queries.shape[0])

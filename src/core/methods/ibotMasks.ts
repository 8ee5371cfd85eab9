/**
 * iBOT's patch masks (Zhou et al. 2022, arXiv 2111.07832, §3 and App. C; facebookresearch/ibot
 * loader.py ImageFolderMask with pred_shape 'block'): which patch tokens of a global view the
 * student sees replaced by its `masked_embed` and must predict the teacher's output for.
 *
 * Shape: block-wise, as iBOT's default (BEiT's blockwise masking, Bao et al. 2022, arXiv 2106.08254):
 * rectangles of area U(⌊g/3⌋², remaining budget) and aspect ratio log-uniform in [0.3, 1/0.3] are
 * placed at random while each adds new patches without exceeding the budget ⌊ratio·T⌋ (10 tries per
 * rectangle, stop when none fits). Random single patches would be an easier task: on a 4×4 or
 * 8×8 grid a masked patch then almost always has visible neighbours to copy from.
 * Ratio: fixed (iBOT's pred_ratio 0.3 with pred_ratio_var 0, its default). DEVIATION: on the small
 * grids of this app the block loop often stops a few patches short (a whole rectangle must fit the
 * rest of the budget), so the remaining patches are filled with random single ones: every view has
 * exactly ⌊ratio·T⌋ masked patches, so the masked-patch loss and its ratio are the same across
 * views and steps.
 *
 * Determinism: the masks of (run seed, 0-based step index, rendered view id) come from their own
 * stream `deriveSeed(seed, 'ibot_mask:<step>:<view>')`, images in order, so the selection forward
 * and the training forward of a step see the same mask for the same view, and a resumed run
 * repeats them; nothing is stored in checkpoints.
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */
import { createRng, deriveSeed, type Rng } from '../random';

/** iBOT's aspect-ratio range of a mask block (pred_aspect_ratio (0.3, 1/0.3)). */
const MIN_ASPECT = 0.3;
/** Tries to place one block before the block loop gives up (BEiT / iBOT). */
const BLOCK_TRIES = 10;

/** Masked patches of a g×g grid at `ratio`: ⌊ratio·g²⌋ (a hair of slack for 0.3·10 = 2.9999…). */
export function maskedCount(ratio: number, grid: number): number {
  if (!(ratio >= 0 && ratio < 1)) throw new RangeError(`The iBOT mask ratio must be in [0, 1), got ${ratio}`);
  return Math.floor(ratio * grid * grid + 1e-9);
}

/** One block-wise mask of a g×g grid with exactly `count` masked patches: Uint8Array [g·g], row-major, 1 = masked. NOTE: advances rng. */
export function blockMask(rng: Rng, grid: number, count: number): Uint8Array {
  const numPatches = grid * grid;
  if (!Number.isInteger(grid) || grid < 1) throw new RangeError(`Mask grid side must be a positive integer, got ${grid}`);
  if (!Number.isInteger(count) || count < 0 || count > numPatches) throw new RangeError(`Cannot mask ${count} of ${numPatches} patches`);
  const mask = new Uint8Array(numPatches);
  const logLo = Math.log(MIN_ASPECT);
  const minArea = Math.floor(grid / 3) ** 2;
  let numMasked = 0;
  while (numMasked < count) {
    const budget = count - numMasked;
    let added = 0;
    for (let t = 0; t < BLOCK_TRIES && added === 0; t++) {
      const area = rng.uniform(Math.min(minArea, budget), budget);
      const aspect = Math.exp(rng.uniform(logLo, -logLo));
      const h = Math.round(Math.sqrt(area * aspect));
      const w = Math.round(Math.sqrt(area / aspect));
      if (h < 1 || w < 1 || h >= grid || w >= grid) continue;
      const top = rng.intRange(0, grid - h);
      const left = rng.intRange(0, grid - w);
      let fresh = 0;
      for (let i = top; i < top + h; i++) for (let j = left; j < left + w; j++) fresh += 1 - mask[i * grid + j]!;
      if (fresh === 0 || fresh > budget) continue;
      for (let i = top; i < top + h; i++) for (let j = left; j < left + w; j++) mask[i * grid + j] = 1;
      added = fresh;
    }
    if (added === 0) break;
    numMasked += added;
  }
  // Top up to exactly `count` with random single patches (see the header).
  while (numMasked < count) {
    const k = rng.int(numPatches - numMasked); // the k-th unmasked patch
    for (let i = 0, seen = 0; i < numPatches; i++) {
      if (mask[i]) continue;
      if (seen++ === k) {
        mask[i] = 1;
        break;
      }
    }
    numMasked++;
  }
  return mask;
}

/** Which masks to draw: the run's seed, the step, the mask shape. */
export interface MaskSpec {
  seed: number;
  /** 0-based step index (HvpMethod.beginStep). */
  stepIdx: number;
  /** Patch-grid side g of a global view. */
  grid: number;
  /** Fraction of the g² patches masked. */
  ratio: number;
}

/**
 * Masks of rendered views `viewIds` for `numImages` images, view-major as the views:
 * Float32Array [viewIds.length · M · g²], row (k·M + m) = view viewIds[k] of image m.
 */
export function ibotMasks(spec: MaskSpec, viewIds: readonly number[], numImages: number): Float32Array {
  const numPatches = spec.grid * spec.grid;
  const count = maskedCount(spec.ratio, spec.grid);
  const out = new Float32Array(viewIds.length * numImages * numPatches);
  viewIds.forEach((view, k) => {
    const rng = createRng(deriveSeed(spec.seed, `ibot_mask:${spec.stepIdx}:${view}`));
    for (let m = 0; m < numImages; m++) out.set(blockMask(rng, spec.grid, count), (k * numImages + m) * numPatches);
  });
  return out;
}

/**
 * Data order: epochs of seeded permutations of the training set, consumed M indices at a time.
 * The state (rng state at the start of the current epoch, epoch, position) is plain data so a
 * checkpoint can restore the exact order. A batch never spans two epochs: the tail of an epoch
 * that is shorter than M is dropped (drop_last, as the authors' loaders).
 * Must not import: tfjs, DOM.
 */
import { rngFromState, createRng, type RngState } from '../random';

/** Serializable position in the data order. */
export interface BatchSamplerState {
  /** Generator state used to draw the current epoch's permutation. */
  epochRngState: RngState;
  epoch: number;
  /** Index of the next unread element of the current permutation. */
  position: number;
}

/** Draws batches of image indices. NOTE: nextBatch mutates the sampler. */
export interface BatchSampler {
  nextBatch(): Int32Array;
  getState(): BatchSamplerState;
  readonly epoch: number;
}

/** Creates a sampler over `numImages` images, batches of `batchSize`, from a seed or a saved state. */
export function createBatchSampler(numImages: number, batchSize: number, seedOrState: number | BatchSamplerState): BatchSampler {
  if (batchSize > numImages) throw new RangeError(`Batch size ${batchSize} exceeds the ${numImages} training images`);
  const rng = typeof seedOrState === 'number' ? createRng(seedOrState) : rngFromState(seedOrState.epochRngState);
  let epochRngState = rng.getState();
  let perm = rng.permutation(numImages);
  let epoch = typeof seedOrState === 'number' ? 0 : seedOrState.epoch;
  let position = typeof seedOrState === 'number' ? 0 : seedOrState.position;
  return {
    nextBatch() {
      if (position + batchSize > numImages) {
        epochRngState = rng.getState();
        perm = rng.permutation(numImages);
        epoch += 1;
        position = 0;
      }
      const out = Int32Array.from(perm.slice(position, position + batchSize));
      position += batchSize;
      return out;
    },
    getState: () => ({ epochRngState, epoch, position }),
    get epoch() {
      return epoch;
    },
  };
}

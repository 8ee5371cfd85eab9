/**
 * PyTorch state dicts from our model state and back. Our parameter names already are PyTorch's
 * (`backbone.layer1.0.conv1.weight`, `projector.1.running_var`; the backbone part is torchvision's
 * ResNet naming under `backbone.`), so the work is: pick a prefix, permute layouts
 * (torchLayout.ts), and add what torch.nn.BatchNorm keeps that we do not: the int64 scalar
 * buffer `<bn>.num_batches_tracked`, without which `load_state_dict(strict=True)` reports
 * missing keys. The result is ready for encodeSafetensors; python/load_checkpoint.py reads it.
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */
import type { HostTensor } from '../state/hostTensor';
import { CheckpointFormatError } from './checkpointFormatError';
import type { DecodedTensor, SafetensorsTensor } from './safetensors';
import { fromTorchLayout, toTorchLayout } from './torchLayout';

/** Suffix of torch BatchNorm's update counter buffer. */
export const NUM_BATCHES_TRACKED = 'num_batches_tracked';

/** Our model's prefix of the backbone; stripped it leaves torchvision ResNet keys. */
export const BACKBONE_PREFIX = 'backbone.';

/** A host tensor as a safetensors entry (float32 → F32, int32 → I32), sharing its data. */
export function hostToSafetensor(t: HostTensor): SafetensorsTensor {
  return t.dtype === 'float32'
    ? { dtype: 'F32', shape: t.shape, data: t.data as Float32Array }
    : { dtype: 'I32', shape: t.shape, data: t.data as Int32Array };
}

/** A decoded safetensors entry as a host tensor (F32-family → float32, integer → int32), sharing its data. */
export function safetensorToHost(name: string, t: DecodedTensor): HostTensor {
  if (t.dtype === 'F32') return { dtype: 'float32', shape: t.shape, data: t.data };
  if (t.dtype === 'I32') return { dtype: 'int32', shape: t.shape, data: t.data };
  throw new CheckpointFormatError(`Tensor "${name}" is ${t.storedDtype}; model weights must be a float or integer type`);
}

/**
 * The PyTorch state dict of the entries of `modelState` whose names start with `prefix`, the prefix
 * stripped: conv kernels OIHW, linear weights [out, in], and `<bn>.num_batches_tracked` (I64
 * scalar = `numBatchesTracked`) for every BatchNorm (found by its `.running_mean`).
 * @param numBatchesTracked BN running-stat updates so far (training steps); torch only uses it when momentum=None
 */
export function toTorchStateDict(modelState: ReadonlyMap<string, HostTensor>, numBatchesTracked: number, prefix = ''): Map<string, SafetensorsTensor> {
  if (!Number.isSafeInteger(numBatchesTracked) || numBatchesTracked < 0) {
    throw new RangeError(`numBatchesTracked must be a non-negative integer, got ${numBatchesTracked}`);
  }
  const out = new Map<string, SafetensorsTensor>();
  for (const [name, t] of modelState) {
    if (!name.startsWith(prefix)) continue;
    const key = name.slice(prefix.length);
    out.set(key, hostToSafetensor(toTorchLayout(name, t)));
    if (key.endsWith('.running_mean')) {
      const bn = key.slice(0, -'running_mean'.length);
      out.set(bn + NUM_BATCHES_TRACKED, { dtype: 'I64', shape: [], data: new BigInt64Array([BigInt(numBatchesTracked)]) });
    }
  }
  if (out.size === 0) throw new RangeError(`The model state has no tensor named "${prefix}…"`);
  return out;
}

/**
 * The backbone in torchvision ResNet state-dict form (keys `conv1.weight`, `bn1.running_var`,
 * `layer2.0.downsample.0.weight`, `layer1.0.bn1.num_batches_tracked`, …): loads with
 * `load_state_dict(strict=True)` into torchvision.models.resnet18 with the CIFAR stem
 * (conv1 3×3 stride 1, maxpool = Identity) and fc = Identity, when backboneWidth is 64.
 */
export function torchvisionBackboneState(modelState: ReadonlyMap<string, HostTensor>, numBatchesTracked: number): Map<string, SafetensorsTensor> {
  return toTorchStateDict(modelState, numBatchesTracked, BACKBONE_PREFIX);
}

/** Our model state from a PyTorch state dict. */
export interface FromTorchResult {
  /** Tensors in our layout, names prefixed with `prefix`. NOTE: rank ≤ 1 data may alias the decoded bytes. */
  state: Map<string, HostTensor>;
  /** The largest `num_batches_tracked` found (they are equal in our files), or null if none. */
  numBatchesTracked: number | null;
}

/**
 * Inverse of toTorchStateDict: drops the `num_batches_tracked` buffers (reported separately),
 * permutes layouts back and puts `prefix` in front of every name. Shapes are not checked against
 * a model here (train/hostTensor.ts checkStateShapes does that).
 */
export function fromTorchStateDict(tensors: ReadonlyMap<string, DecodedTensor>, prefix = ''): FromTorchResult {
  const state = new Map<string, HostTensor>();
  let numBatchesTracked: number | null = null;
  for (const [key, t] of tensors) {
    if (key.endsWith(`.${NUM_BATCHES_TRACKED}`)) {
      const n = t.data[0];
      if (t.dtype !== 'I32' || t.data.length !== 1 || n === undefined || n < 0) {
        throw new CheckpointFormatError(`Tensor "${key}" must be one non-negative integer (got ${t.storedDtype} [${t.shape.join(', ')}])`);
      }
      numBatchesTracked = Math.max(numBatchesTracked ?? 0, n);
      continue;
    }
    state.set(prefix + key, fromTorchLayout(key, safetensorToHost(key, t)));
  }
  return { state, numBatchesTracked };
}

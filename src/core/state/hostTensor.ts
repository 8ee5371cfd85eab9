/**
 * HostTensor: a tensor's values on the CPU as a plain typed array, the form in which trainer state
 * leaves the device (checkpoint export) and comes back (import). tfjs layouts (HWIO convolutions,
 * [in, out] linear weights); conversion to PyTorch layouts belongs to core/checkpoint.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { StateMismatchError } from './stateMismatchError';

export { StateMismatchError };

/** Values of one tensor, row-major. */
export interface HostTensor {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

/** Reads a tensor's values (async, no dataSync). */
export async function toHost(t: tf.Tensor): Promise<HostTensor> {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new TypeError(`Cannot save a ${t.dtype} tensor`);
  const data = (await t.data()) as Float32Array | Int32Array;
  return { dtype: t.dtype, shape: [...t.shape], data: t.dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data) };
}

/** Creates a device tensor from host values. */
export function fromHost(h: HostTensor): tf.Tensor {
  return tf.tensor(h.data, h.shape, h.dtype);
}

/** Same shape (and dtype), element by element. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** "[3, 3, 16, 32]" for messages. */
export const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * Checks that `state` has exactly the keys of `expected` (name → shape) and matching shapes;
 * throws StateMismatchError listing what is missing, unexpected or misshapen.
 */
export function checkStateShapes(what: string, expected: ReadonlyMap<string, readonly number[]>, state: ReadonlyMap<string, HostTensor>): void {
  const missing = [...expected.keys()].filter((k) => !state.has(k));
  const unexpected = [...state.keys()].filter((k) => !expected.has(k));
  const misshapen = [...expected].filter(([k, s]) => state.has(k) && !sameShape(state.get(k)!.shape, s)).map(([k, s]) => `${k} is ${shapeText(state.get(k)!.shape)}, expected ${shapeText(s)}`);
  const parts: string[] = [];
  const list = (xs: string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? ` and ${xs.length - 5} more` : '');
  if (missing.length) parts.push(`missing ${list(missing)}`);
  if (unexpected.length) parts.push(`unexpected ${list(unexpected)}`);
  if (misshapen.length) parts.push(list(misshapen));
  if (parts.length) throw new StateMismatchError(`The ${what} in the checkpoint does not fit this run: ${parts.join('; ')}.`);
}

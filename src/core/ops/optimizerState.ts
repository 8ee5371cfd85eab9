/**
 * Contract of optimizer state names, shared by the reference optimizers (core/train/optimizers/) and
 * the fused WebGPU ones (gpu/fusedOptimizer.ts): state key = `<parameter name>.<slot>`, e.g.
 * `backbone.conv1.weight.momentum`, `projector.0.weight.exp_avg`, `….step` (int32 scalar).
 * `checkOptimizerState` validates saved state against the parameters before anything is replaced,
 * so a bad checkpoint leaves the optimizer untouched. Plain data only.
 * Must not import: tfjs runtime, DOM.
 */
import { StateMismatchError } from '../state/stateMismatchError';
import type { HostTensor } from '../state/hostTensor';

/** A slot of per-parameter state: 'param' = same shape as the parameter, 'scalar' = shape []. */
export type SlotShape = 'param' | 'scalar';

/** Saved state grouped by parameter: param name → slot → values. */
export type GroupedState = Map<string, Map<string, HostTensor>>;

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * Groups `state` by parameter and checks every key names a known parameter and slot, that shapes fit,
 * and (when `isComplete`) that each parameter has all slots. Throws StateMismatchError.
 */
export function checkOptimizerState(
  optimizerName: string,
  state: ReadonlyMap<string, HostTensor>,
  paramShapes: ReadonlyMap<string, readonly number[]>,
  slots: Readonly<Record<string, SlotShape>>,
  isComplete = true,
): GroupedState {
  const grouped: GroupedState = new Map();
  const problems: string[] = [];
  for (const [key, value] of state) {
    const dot = key.lastIndexOf('.');
    const param = key.slice(0, dot);
    const slot = key.slice(dot + 1);
    const kind = Object.hasOwn(slots, slot) ? slots[slot] : undefined; // not `constructor`, `__proto__`, …
    const pShape = paramShapes.get(param);
    if (dot < 0 || !kind) problems.push(`"${key}" is not ${optimizerName} state (slots: ${Object.keys(slots).join(', ')})`);
    else if (!pShape) problems.push(`"${key}" belongs to no parameter of this model`);
    else {
      const want = kind === 'param' ? pShape : [];
      if (value.shape.length !== want.length || value.shape.some((d, i) => d !== want[i])) problems.push(`"${key}" is ${shapeText(value.shape)}, expected ${shapeText(want)}`);
      else {
        if (!grouped.has(param)) grouped.set(param, new Map());
        grouped.get(param)!.set(slot, value);
      }
    }
  }
  if (isComplete) {
    for (const [param, got] of grouped) {
      const absent = Object.keys(slots).filter((s) => !got.has(s));
      if (absent.length) problems.push(`"${param}" lacks ${absent.join(', ')}`);
    }
  }
  if (problems.length) {
    throw new StateMismatchError(`The ${optimizerName} optimizer state in the checkpoint does not fit this run: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` and ${problems.length - 5} more` : ''}.`);
  }
  return grouped;
}

/** Parameter shapes of a variable map, for checkOptimizerState. */
export function shapesOf(params: ReadonlyMap<string, { shape: number[] }>): Map<string, number[]> {
  return new Map([...params].map(([k, v]) => [k, v.shape]));
}

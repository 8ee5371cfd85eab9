/**
 * Builds and runs flat element-wise WGSL programs through tfjs-webgpu's `runWebGPUProgram`: one thread per
 * element (or per 4 elements, as vec4, when the length is a multiple of 4), named f32 uniforms in one
 * ordered list, inputs bound as flat 1-D arrays so one pipeline serves tensors of every rank.
 *
 * Pitfalls handled here (see shared/reference/tfjs-webgpu.md §1.3–1.9): a NEW program object per call
 * (runWebGPUProgram mutates `shaderKey`); everything baked into the WGSL is in `shaderKey`; uniform
 * declarations and values come from the same list, so their order cannot drift; every declared input must
 * be used by the WGSL (the caller's body), and the `index < uniforms.size` guard uses the uniform binding.
 * Must not import: core/ (except types), worker/, ui/, DOM.
 */
import type { NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** Threads per workgroup of the element-wise programs (tfjs-webgpu's default for element-wise ops). */
const WORKGROUP_X = 64;

/** A uniform: WGSL field name, value (rounded to f32 on upload unless the type is 'i32'), type (default f32). */
export type Uniform = readonly [name: string, value: number, type?: 'f32' | 'i32'];

/** An element-wise program: `out[i] = body(inputs[i], extras, uniforms)`. */
export interface ElementwiseSpec {
  /** Pipeline-cache key prefix; must change whenever `body` or the input lists change. */
  key: string;
  /** Per-element inputs, readable in `body` as `<name>[i]` (type `T`: f32 or vec4<f32>). */
  inputs: readonly string[];
  /** Small whole-array f32 inputs (e.g. norms), readable as `<name>[k]`. */
  extras?: readonly string[];
  /** Uniforms, readable as `uniforms.<name>`. */
  uniforms: readonly Uniform[];
  /** WGSL statements that end by assigning `result[i]`; `i` is the (vector) element index, `T` the type. */
  body: string;
}

/** The named kernel inputs `names`, throwing a clear error when one is missing. */
export function requireInputs<K extends string>(
  kernelName: string,
  inputs: NamedTensorInfoMap,
  names: readonly K[],
): Record<K, TensorInfo> {
  const out = {} as Record<K, TensorInfo>;
  for (const n of names) {
    const t = inputs[n];
    if (t == null) throw new Error(`Kernel ${kernelName}: missing input '${n}'`);
    out[n] = t;
  }
  return out;
}

/** Vector width used for `numel` elements: 4 when it divides, else 1. */
export const componentsFor = (numel: number): 1 | 4 => (numel % 4 === 0 ? 4 : 1);

/** `info` viewed as a flat 1-D tensor (same data, no copy, no new engine tensor). */
export const flat = (info: TensorInfo): TensorInfo => ({
  dataId: info.dataId,
  shape: [info.shape.reduce((a, b) => a * b, 1)],
  dtype: info.dtype,
});

/** WGSL struct fields for `uniforms`, e.g. `lr : f32, momentum : f32,`. */
export const uniformDecl = (uniforms: readonly Uniform[]): string =>
  uniforms.map(([name, , type]) => `${name} : ${type ?? 'f32'},`).join(' ');

/** Values for `runWebGPUProgram`'s `programDefinedUniform`, in declaration order. */
export const uniformData = (uniforms: readonly Uniform[]): Array<{ type: string; data: number[] }> =>
  uniforms.map(([, value, type]) => ({ type: type === 'i32' ? 'int32' : 'float32', data: [value] }));

/**
 * Runs `spec` over `numel` = size of `inputs[0]`, returning a new float32 TensorInfo of shape `outShape`
 * (not tracked by the engine: return it from a kernelFunc, or free it with `backend.disposeData`).
 *
 * @param inputs one TensorInfo per `spec.inputs`, each with `numel` elements (any shape)
 * @param extras one TensorInfo per `spec.extras`
 */
export function runElementwise(
  backend: WebGPUBackend,
  spec: ElementwiseSpec,
  inputs: readonly TensorInfo[],
  extras: readonly TensorInfo[],
  outShape: number[],
): TensorInfo {
  const numel = outShape.reduce((a, b) => a * b, 1);
  for (const [k, t] of inputs.entries()) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== numel) throw new Error(`${spec.key}: input ${spec.inputs[k]} has ${n} elements, expected ${numel}`);
  }
  const c = componentsFor(numel);
  const T = c === 4 ? 'vec4<f32>' : 'f32';
  const extraNames = spec.extras ?? [];
  const layout = { x: [0] };
  const workgroupSize: [number, number, number] = [WORKGROUP_X, 1, 1];
  const program: WebGPUProgram = {
    variableNames: [...spec.inputs, ...extraNames],
    variableComponents: [...spec.inputs.map(() => c), ...extraNames.map(() => 1)],
    outputComponent: c,
    outputShape: [numel],
    shaderKey: `hvp_${spec.key}_c${c}`,
    dispatchLayout: layout,
    dispatch: webgpu_util.computeDispatch(layout, [numel], workgroupSize, [c, 1, 1]),
    workgroupSize,
    size: true,
    uniforms: uniformDecl(spec.uniforms),
    getUserCode: () => `
      alias T = ${T};
      fn main(index : i32) {
        if (index < uniforms.size) {
          let i = index;
          ${spec.body}
        }
      }`,
  };
  const out = backend.runWebGPUProgram(
    program,
    [...inputs.map(flat), ...extras],
    'float32',
    uniformData(spec.uniforms),
  );
  return { dataId: out.dataId, shape: outShape, dtype: 'float32' };
}

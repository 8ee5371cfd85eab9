/**
 * Calling a backend's own kernels from inside a kernel of ours (a kernelFunc may not run tf ops): run a
 * registered kernel of the same backend, free an intermediate, and upload host values. Used by the
 * kernels built from other kernels (conv2dGradKernels.ts, core/engine/wasmKernels.ts).
 * Must not import: gpu/, worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';

/** What a kernelFunc receives. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** Kernel calls on one backend instance. */
export interface BackendKernels {
  /** Runs the kernel `kernelName` registered for this backend; the output belongs to the caller. */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: Record<string, unknown>): tf.TensorInfo;
  /** Releases an intermediate (the backend's disposeData). */
  free(t: tf.TensorInfo): void;
  /** A float32 tensor of host values (MathBackendCPU: makeTensorInfo; BackendWasm: makeOutput). */
  upload(shape: number[], values: Float32Array): tf.TensorInfo;
}

/** Backend methods used here; each backend has some of them. */
interface BackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
  makeTensorInfo?(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
  makeOutput?(shape: number[], dtype: tf.DataType, memoryOffset: undefined, values: Float32Array): tf.TensorInfo;
}

/** Kernel calls on `backend`, an instance of the backend registered as `backendName`. */
export function backendKernels(backendName: string, backend: unknown): BackendKernels {
  const b = backend as BackendLike;
  return {
    run(kernelName, inputs, attrs) {
      const k = tf.getKernel(kernelName, backendName);
      if (!k) throw new Error(`backend '${backendName}' has no ${kernelName} kernel`);
      return k.kernelFunc({ inputs, backend: backend as tf.KernelBackend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
    },
    free(t) {
      b.disposeData(t.dataId);
    },
    upload(shape, values) {
      if (b.makeTensorInfo) return b.makeTensorInfo(shape, 'float32', values);
      if (b.makeOutput) return b.makeOutput(shape, 'float32', undefined, values);
      throw new Error(`backend '${backendName}' can make no tensor from host values`);
    },
  };
}

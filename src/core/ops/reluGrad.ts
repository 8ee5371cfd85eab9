/**
 * Op contract of ReLU's gradient, kernel 'HvpReluGrad', and its pure-tfjs reference:
 *
 *   dx = dy · step(x)        (step(x) = 1 for x > 0, else 0; tfjs's Relu gradient, Relu_grad.js)
 *
 * tfjs's gradient is two kernels (Step, then Multiply); where a backend registers 'HvpReluGrad' (gpu/ on
 * 'webgpu') it is one dispatch (bench/dispatch/). {@link installReluGrad} replaces tfjs's gradient config
 * of 'Relu' with one that runs the kernel where it is registered and tfjs's own formula elsewhere, so
 * the CPU and wasm backends compute exactly what they did before. gpu/register.ts installs it together
 * with the kernel; nothing in core/ needs to.
 *   inputs  dy, x: float32, same shape
 *   output  float32 dx, the shape of x
 * Must not import: gpu/, worker/, ui/, DOM or worker globals.
 */
import * as tf from '@tensorflow/tfjs';

/** Registered kernel name of ReLU's gradient. */
export const RELU_GRAD_KERNEL = 'HvpReluGrad';

/** tfjs's ReLU gradient, dy · step(x) (every backend). */
export function reluGradReference(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.mul(dy, tf.cast(tf.step(x), 'float32'));
}

/** dy · step(x): the registered kernel of the current backend when there is one, else {@link reluGradReference}. */
export function reluGrad(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (!tf.getKernel(RELU_GRAD_KERNEL, tf.getBackend())) return reluGradReference(dy, x);
  return tf.engine().runKernel(RELU_GRAD_KERNEL, { dy, x }) as tf.Tensor;
}

let isInstalled = false;

/**
 * Makes tfjs's 'Relu' gradient go through {@link reluGrad} (idempotent). Global: affects every backend,
 * but where the kernel is not registered the result is tfjs's own formula.
 */
export function installReluGrad(): void {
  if (isInstalled) return;
  isInstalled = true;
  tf.registerGradient({
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [x] = saved as [tf.Tensor];
      return { x: () => reluGrad(dy as tf.Tensor, x) };
    },
  });
}

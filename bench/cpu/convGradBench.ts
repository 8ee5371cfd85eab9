/**
 * Per-shape timing of the convolution gradients on the wasm engine: the input gradient by wasm's stock
 * Conv2DBackpropInput vs our forward-conv identity, the filter gradient by our identity, and the forward
 * conv, for the convolutions of the default ResNet-10 (width 16, batch 64, 32×32) step.
 * Usage: node bench/cpu/bundle.mjs bench/cpu/convGradBench.ts | xargs node   (prints one JSON line per shape)
 * Must not import: gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { selectEngine } from '../../src/core/engine/selectEngine';
import { setWasmInputGradPolicy } from '../../src/core/engine/wasmKernels';

// [input NHWC, k, Cout, stride, pad]: the default step's convolutions (batch 64)
const SHAPES: [[number, number, number, number], number, number, number, number][] = [
  [[64, 32, 32, 16], 3, 16, 1, 1],
  [[64, 32, 32, 16], 3, 32, 2, 1],
  [[64, 32, 32, 16], 1, 32, 2, 0],
  [[64, 16, 16, 32], 3, 32, 1, 1],
  [[64, 16, 16, 32], 3, 64, 2, 1],
  [[64, 8, 8, 64], 3, 64, 1, 1],
  [[64, 8, 8, 64], 3, 128, 2, 1],
  [[64, 4, 4, 128], 3, 128, 1, 1],
];

function time(f: () => tf.Tensor, reps = 5): number {
  f().dispose();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f().dispose();
  return (performance.now() - t0) / reps;
}

async function main(): Promise<void> {
  await selectEngine('wasm', { isStrict: true });
  for (const [xs, k, cout, s, pad] of SHAPES) {
    const x = tf.randomNormal(xs) as tf.Tensor4D;
    const w = tf.randomNormal([k, k, xs[3]!, cout]) as tf.Tensor4D; // [k, k, Cin, Cout]
    const y = tf.conv2d(x, w, s, pad); // [N, Ho, Wo, Cout]
    const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
    const fwd = time(() => tf.conv2d(x, w, s, pad));
    setWasmInputGradPolicy('stock');
    const dxStock = time(() => tf.conv2dTranspose(dy, w, x.shape as [number, number, number, number], s, pad));
    setWasmInputGradPolicy('identity');
    const dxIdentity = time(() => tf.conv2dTranspose(dy, w, x.shape as [number, number, number, number], s, pad));
    const dw = time(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: s, pad, dataFormat: 'NHWC', filterShape: w.shape as number[] } as unknown as tf.NamedAttrMap) as tf.Tensor);
    process.stdout.write(`${JSON.stringify({ x: xs, k, cout, stride: s, fwdMs: +fwd.toFixed(2), dxStockMs: +dxStock.toFixed(2), dxIdentityMs: +dxIdentity.toFixed(2), dwMs: +dw.toFixed(2) })}\n`);
    tf.dispose([x, w, y, dy]);
  }
}

main().catch((e) => {
  process.stderr.write(`convGradBench: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

/**
 * Speed guards: the wall-clock claims that unit tests used to assert, timed here instead (a test
 * runner shared with other jobs cannot hold a clock budget; the tests keep the functional checks):
 *   - the built-in dataset generates 5000 + 1000 images of 32 × 32 in under 6 s (src/core/data/builtinDataset.test.ts);
 *   - importFiles reads 50,000 CIFAR-10 records from a 5-batch .tar.gz in under 30 s (src/core/data/formats/importFiles.test.ts);
 *   - conv2dFilterGrad beats tfjs's stock Conv2DBackpropFilter on [16,16,16,16]×[3,3,16,16], tfjs CPU
 *     backend (src/core/ops/conv2dFastGrad.test.ts).
 * Prints one JSON line per claim ({ claim, measured, limit, unit, ok }); exits 1 if a claim fails.
 * Usage: node $(node bench/cpu/bundle.mjs bench/cpu/speedGuards.ts)
 * Must not import: gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { generateBuiltinDataset } from '../../src/core/data/builtinDataset';
import { importFiles } from '../../src/core/data/formats/importFiles';
import type { ImageDecoder } from '../../src/core/data/formats/types';
import { conv2dFilterGrad } from '../../src/core/ops/conv2dFastGrad';
import { cifar10BulkTarGz } from '../../tests/helpers/datasetFiles';

let failed = 0;
function report(claim: string, measured: number, limit: number, unit: string, extra: Record<string, unknown> = {}): void {
  const ok = measured < limit;
  if (!ok) failed++;
  console.log(JSON.stringify({ claim, measured: Number(measured.toFixed(2)), limit: Number(limit.toFixed(2)), unit, ok, ...extra }));
}

// Built-in dataset (~0.7 s on a laptop core).
{
  const t0 = performance.now();
  generateBuiltinDataset({ seed: 2, numTrain: 5000, numTest: 1000 });
  report('generateBuiltinDataset 5000 + 1000 images of 32 × 32', performance.now() - t0, 6000, 'ms');
}

// CIFAR-10 import, the tar.gz built before the clock starts.
{
  const noDecoder: ImageDecoder = async () => {
    throw new Error('not expected');
  };
  const { tgz } = cifar10BulkTarGz();
  const t0 = performance.now();
  await importFiles([{ path: 'cifar-10-binary.tar.gz', bytes: tgz }], { size: 32, decodeImage: noDecoder });
  report('importFiles 50,000 CIFAR-10 records from a 5-batch .tar.gz', (performance.now() - t0) / 1000, 30, 's', { tarGzMiB: Math.round(tgz.length / 2 ** 20) });
}

// Conv filter gradient on the tfjs CPU backend: ours under the stock kernel's time.
{
  await tf.setBackend('cpu');
  const x = tf.randomNormal([16, 16, 16, 16], 0, 1, 'float32', 4) as tf.Tensor4D;
  const dy = tf.randomNormal([16, 16, 16, 16], 0, 1, 'float32', 5) as tf.Tensor4D;
  const filterShape: [number, number, number, number] = [3, 3, 16, 16];
  const stock = () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape }) as tf.Tensor4D;
  const fast = () => conv2dFilterGrad(x, dy, filterShape, 1, 'same');
  const time = (fn: () => tf.Tensor, reps: number): number => {
    tf.dispose(fn()); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) tf.dispose(fn());
    return (performance.now() - t0) / reps;
  };
  const msStock = time(stock, 3);
  const msFast = time(fast, 10);
  report('conv2dFilterGrad vs stock Conv2DBackpropFilter [16,16,16,16]x[3,3,16,16], tfjs-cpu (limit: the stock time)', msFast, msStock, 'ms', {
    speedup: Number((msStock / msFast).toFixed(2)),
  });
  tf.dispose([x, dy]);
}

process.exitCode = failed > 0 ? 1 : 0;

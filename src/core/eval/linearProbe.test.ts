import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { LinearProbe } from './linearProbe';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Three Gaussian blobs in 6-D (linearly separable), n per class. */
function blobs(n: number, seed: number) {
  const rng = createRng(seed);
  const centres = [[3, 0, 0, 0, 1, 0], [0, 3, 0, 1, 0, 0], [0, 0, 3, 0, 0, 1]];
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < 3; c++) for (let i = 0; i < n; i++) {
    rows.push(centres[c]!.map((m) => m + 0.5 * (rng.next() - 0.5) * 2));
    labels.push(c);
  }
  return { features: tf.tensor2d(rows), labels: tf.tensor1d(labels, 'int32') };
}

describe('LinearProbe', () => {
  it('reaches high accuracy on a separable toy set', async () => {
    const train = blobs(40, 1);
    const test = blobs(20, 2);
    const probe = new LinearProbe(6, 3);
    probe.fit(train, 100);
    expect(await probe.accuracy(train)).toBeGreaterThan(0.97);
    expect(await probe.accuracy(test)).toBeGreaterThan(0.95);
    probe.dispose();
  });

  it('an unfitted (zero) probe is at chance, and warm-started steps keep improving it', async () => {
    const train = blobs(30, 3);
    const probe = new LinearProbe(6, 3);
    probe.fit(train, 1);
    const early = await probe.accuracy(train);
    probe.step(train, 60);
    expect(await probe.accuracy(train)).toBeGreaterThanOrEqual(early);
    expect(await probe.accuracy(train)).toBeGreaterThan(0.95);
    probe.dispose();
  });

  it('changes only its own variables and leaks no tensors', async () => {
    const other = tf.variable(tf.tensor2d([[1, 2], [3, 4]]), true, 'backboneLike');
    const before = other.arraySync();
    const train = blobs(10, 4);
    const n0 = tf.memory().numTensors;
    const probe = new LinearProbe(6, 3);
    probe.fit(train, 10);
    await probe.accuracy(train);
    probe.dispose();
    expect(tf.memory().numTensors).toBe(n0);
    expect(other.arraySync()).toEqual(before);
  });

  it('says what is wrong with bad input', () => {
    expect(() => new LinearProbe(4, 1)).toThrow(/at least 2 classes/);
    const probe = new LinearProbe(4, 2);
    expect(() => probe.fit({ features: tf.zeros([3, 5]) as tf.Tensor2D, labels: tf.tensor1d([0, 1, 0], 'int32') }, 1)).toThrow(/5 dims/);
    expect(() => probe.step({ features: tf.zeros([3, 4]) as tf.Tensor2D, labels: tf.tensor1d([0, 1, 0], 'int32') }, 1)).toThrow(/fit\(\) first/);
    probe.dispose();
  });
});

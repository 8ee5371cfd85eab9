import { describe, expect, it } from 'vitest';
import { fromTorchLayout, hwioToOihw, oihwToHwio, toTorchLayout, transpose2d } from './torchLayout';

const iota = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

describe('torch layout', () => {
  it('HWIO → OIHW moves every element to [o, i, h, w] (hand-worked 1×2 kernel, 2 in, 3 out)', () => {
    // HWIO value at [h=0, w, i, o] is (w·2 + i)·3 + o
    const { data, shape } = hwioToOihw(iota(12), [1, 2, 2, 3]);
    expect(shape).toEqual([3, 2, 1, 2]);
    expect(Array.from(data)).toEqual([0, 6, 3, 9, 1, 7, 4, 10, 2, 8, 5, 11]);
  });

  it('OIHW → HWIO inverts it, for non-square kernels and ints too', () => {
    const hwio = Int32Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i * 7 - 100);
    const oihw = hwioToOihw(hwio, [2, 3, 4, 5]);
    expect(oihw.shape).toEqual([5, 4, 2, 3]);
    expect(oihw.data).toBeInstanceOf(Int32Array);
    // spot check: HWIO [1, 2, 3, 4] sits at OIHW [4, 3, 1, 2]
    expect(oihw.data[((4 * 4 + 3) * 2 + 1) * 3 + 2]).toBe(hwio[((1 * 3 + 2) * 4 + 3) * 5 + 4]);
    const back = oihwToHwio(oihw.data, oihw.shape);
    expect(back.shape).toEqual([2, 3, 4, 5]);
    expect(back.data).toEqual(hwio);
  });

  it('transposes linear weights [in, out] ↔ [out, in]', () => {
    const t = transpose2d(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(t.shape).toEqual([3, 2]);
    expect(Array.from(t.data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(transpose2d(t.data, t.shape).data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('dispatches by rank and leaves vectors and scalars untouched', () => {
    const conv = { dtype: 'float32' as const, shape: [1, 2, 2, 3], data: iota(12) };
    expect(toTorchLayout('backbone.conv1.weight', conv).shape).toEqual([3, 2, 1, 2]);
    expect(fromTorchLayout('x', toTorchLayout('x', conv))).toEqual(conv);
    const lin = { dtype: 'float32' as const, shape: [2, 3], data: iota(6) };
    expect(toTorchLayout('projector.0.weight', lin).shape).toEqual([3, 2]);
    const vec = { dtype: 'float32' as const, shape: [4], data: iota(4) };
    expect(toTorchLayout('backbone.bn1.running_var', vec)).toBe(vec);
    expect(fromTorchLayout('backbone.bn1.running_var', vec)).toBe(vec);
  });

  it('refuses a shape that does not match the data, naming the tensor', () => {
    expect(() => toTorchLayout('backbone.conv1.weight', { dtype: 'float32', shape: [3, 3, 3, 2], data: iota(5) })).toThrow(/"backbone\.conv1\.weight".*5 values.*\[3, 3, 3, 2\]/);
    expect(() => hwioToOihw(iota(4), [2, 2])).toThrow(/rank-4/);
  });
});

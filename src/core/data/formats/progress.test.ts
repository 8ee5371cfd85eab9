import { describe, expect, it } from 'vitest';
import { createImportProgress } from './progress';

describe('createImportProgress', () => {
  it('maps phases onto [0, 1], never goes back, and throttles counted stages', () => {
    const seen: [string, number][] = [];
    const p = createImportProgress((s, f) => seen.push([s, f]));
    const unpack = p.phase(0, 0.2);
    const decode = p.phase(0.2, 1);
    unpack('Unpacking a.zip', 0);
    unpack('Unpacking a.zip', 1);
    for (let i = 0; i < 1000; i++) decode(`Decoding images (${i + 1}/1000)`, i / 1000);
    decode('Decoding images (1000/1000)', 0.5); // late, lower report: clamped, not sent
    decode('Decoded 1000 images', 1);
    expect(seen.slice(0, 2)).toEqual([
      ['Unpacking a.zip', 0],
      ['Unpacking a.zip', 0.2],
    ]);
    expect(seen.length).toBeGreaterThan(100);
    expect(seen.length).toBeLessThan(250); // 0.8 of the range in ≥ 0.5 % steps: ≤ 161 decode reports
    const fr = seen.map(([, f]) => f);
    expect(fr.every((f, i) => i === 0 || f >= fr[i - 1]!)).toBe(true);
    expect(seen.at(-1)).toEqual(['Decoded 1000 images', 1]);
  });

  it('is a no-op without a callback', () => {
    expect(() => createImportProgress(undefined).phase(0, 1)('x', 0.5)).not.toThrow();
  });
});

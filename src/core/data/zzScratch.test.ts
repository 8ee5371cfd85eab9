import { it } from 'vitest';
import { isInShape } from './builtinShapes';
import { generateBuiltinDataset } from './builtinDataset';
it('scratch', () => {
  for (let c = 0; c < 10; c++) {
    let t = performance.now(); let h = 0;
    for (let i = 0; i < 4_000_000; i++) { const u = (i % 2000) / 1000 - 1, v = ((i * 7) % 2000) / 1000 - 1; if (isInShape(c, u, v)) h++; }
    console.log('class', c, 'ns/sample', (performance.now() - t) / 4e6 * 1e6, h);
  }
  let t = performance.now();
  generateBuiltinDataset({ seed: 2, numTrain: 5000, numTest: 1000 });
  console.log('gen ms', performance.now() - t);
});

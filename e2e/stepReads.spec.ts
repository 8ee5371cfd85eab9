// A queued training step on WebGPU (with our kernels) reads nothing back from the GPU; the
// throttled metric read reads only its few scalars (loss, mean pair loss, selected pairs).
import { expect, test } from '@playwright/test';

interface ReadCounts { mapAsync: number; read: number; readSync: number; cpuReads: number }
interface StepReads { backend: string; queuedStep: ReadCounts; metricRead: ReadCounts; error?: string }

test('one HVP training step reads nothing back from the GPU', async ({ page }) => {
  await page.goto('/harness/stepReads.html');
  await page.waitForFunction(() => (window as unknown as { __stepReads?: unknown }).__stepReads !== undefined, null, { timeout: 300_000 });
  const r = await page.evaluate(() => (window as unknown as { __stepReads: StepReads }).__stepReads);
  console.log('step reads:', JSON.stringify(r));
  expect(r.error).toBeUndefined();
  expect(r.backend).toBe('webgpu');
  // cpuReads (small uploads tfjs keeps on the CPU) are not GPU round trips and are not limited here.
  expect({ ...r.queuedStep, cpuReads: 0 }).toEqual({ mapAsync: 0, read: 0, readSync: 0, cpuReads: 0 });
  expect(r.metricRead.readSync).toBe(0);
  expect(r.metricRead.read).toBeGreaterThan(0);
  expect(r.metricRead.read).toBeLessThanOrEqual(3);
  expect(r.metricRead.mapAsync).toBeLessThanOrEqual(3);
});

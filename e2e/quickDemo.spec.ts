// The quick demo on the engine this page gets in CI (WebGPU on SwiftShader, so the software-GPU
// banner offers the demo on wasm; on a hardware GPU the intro's button runs it on WebGPU): a newcomer
// clicks once and within its steps HVP's signature shows — the running lowest-IoU hit rate clearly
// above chance and the chosen pairs' IoU below the mean. The spec checks the metrics, not the clock;
// it prints the time (bench/quickDemo/README.md records it).
import { expect, test } from '@playwright/test';
import { watchConsole } from './helpers';

const STEPS = 100;

test('one click runs the quick demo and the HVP signature shows', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(`/?maxSteps=${STEPS}`);
  await expect(page.getByTestId('intro')).toContainText('Beyond Random Augmentations');
  await expect(page.getByTestId('status-backend')).toContainText(/webgpu|wasm/, { timeout: 120_000 });
  const isSoftware = (await page.getByTestId('status-backend').textContent())!.includes('software GPU');
  if (isSoftware) {
    await expect(page.getByTestId('banner-software-gpu')).toContainText('software');
    await page.getByTestId('software-gpu-quick-demo').click();
  } else await page.getByTestId('intro-quick-demo').click();
  const t0 = Date.now();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 480_000 });
  const seconds = (Date.now() - t0) / 1000;
  const engine = await page.getByTestId('status-backend').getAttribute('data-backend');

  const iou = page.getByTestId('iou-hit-rate');
  const selected = Number(await iou.getAttribute('data-selected-iou'));
  const mean = Number(await iou.getAttribute('data-mean-iou'));
  const hit = Number(await iou.getAttribute('data-hit-rate'));
  const chance = Number(await iou.getAttribute('data-chance'));
  console.log(`quick demo in the browser on ${engine}: ${STEPS} steps in ${seconds.toFixed(0)} s; running hit rate ${hit.toFixed(3)} (chance ${chance.toFixed(3)}), chosen IoU ${selected.toFixed(3)} vs mean ${mean.toFixed(3)}`);
  expect(engine).toBe(isSoftware ? 'wasm' : 'webgpu');
  expect(hit).toBeGreaterThan(1.3 * chance);
  expect(selected).toBeLessThan(mean);
  await page.screenshot({ path: 'test-results/quick-demo-done.png', fullPage: false });
  expect(consoleWatch.errors).toEqual([]);
});

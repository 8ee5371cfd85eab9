// End-to-end: SimCLR and BYOL with hard HVP train to the end of a 3-step run in the worker on
// WebGPU (SwiftShader here): the panel shows only each method's own settings, the loss and IoU
// charts gain points, the gallery highlights one pair per probe image, kNN accuracy appears, and
// nothing is logged to the console as an error.
import { expect, test, type Page } from '@playwright/test';
import { tinyQuery, watchConsole } from './helpers';

const points = async (page: Page, id: string) => Number(await page.getByTestId(id).getAttribute('data-points'));

/** The method-specific settings and which method shows each. */
const OWN_FIELD = { simclr: 'temperature', byol: 'emaMomentum' } as const;

for (const method of ['simclr', 'byol'] as const) {
  test(`trains ${method} + hard HVP to the end with live panels`, async ({ page }) => {
    const consoleWatch = watchConsole(page);
    await page.goto(tinyQuery({ method, hvpMode: 'hard', totalSteps: 3, knnEvery: 3 }));
    await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
    await expect(page.getByTestId('config-field-method')).toHaveValue(method);
    await expect(page.getByTestId(`config-field-${OWN_FIELD[method]}`)).toBeVisible();
    const other = method === 'simclr' ? OWN_FIELD.byol : OWN_FIELD.simclr;
    await expect(page.getByTestId(`config-field-${other}`)).toHaveCount(0);

    await page.getByTestId('btn-start').click();
    await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 150_000 });

    expect(await points(page, 'chart-loss')).toBeGreaterThanOrEqual(3);
    expect(await points(page, 'chart-iou')).toBeGreaterThanOrEqual(3);
    // gallery: 2 probes × 4 views, one highlighted pair per probe
    await expect(page.getByTestId('gallery-probe')).toHaveCount(2);
    await expect(page.getByTestId('gallery-view')).toHaveCount(8);
    await expect(page.locator('[data-testid="gallery-view"][data-selected="true"]')).toHaveCount(4);
    await expect(page.getByTestId('pair-matrix')).toHaveCount(2);
    await expect(page.getByTestId('knn-value')).toContainText('%');
    expect(await points(page, 'chart-knn')).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: `test-results/methods-${method}-done.png`, fullPage: true });
    expect(consoleWatch.errors).toEqual([]);
  });
}

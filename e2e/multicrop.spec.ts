// End-to-end: the multi-crop methods in Chromium with WebGPU (SwiftShader here). DINO on a width-4
// ResNet-10 and iBOT on a tiny ViT, each with hard HVP over 4 global and (4/2)·1 (DINO) or 1 (iBOT) local views, train a
// few steps of a longer planned run (maxSteps < totalSteps): the planned-schedule chart shows
// learning rate, weight decay, teacher momentum and teacher temperature before the run and follows an
// edit; paused mid-run it marks the current step; at the end the loss and IoU charts have a point per
// step, the gallery shows every global and local view of each probe image with the chosen combination
// outlined, the terms heatmap and the scored combinations, kNN has a value, the other panels render,
// the step slider scrubs the gallery back, and nothing is logged to the console as an error. While
// paused, "Explain the next step" takes one step and shows its four stages, with the global and local
// views of every shown image.
import { expect, test, type Page } from '@playwright/test';
import { tinyQuery, watchConsole } from './helpers';

const points = async (page: Page, id: string) => Number(await page.getByTestId(id).getAttribute('data-points'));

/** Settings shared by both methods: small heads, AdamW-sized learning rate, DINO's schedules visible. */
const MULTI_CROP = {
  hvpMode: 'hard',
  numViews: 4,
  numLocalViews: 1,
  dinoOutDim: 32,
  dinoHiddenDim: 16,
  dinoBottleneckDim: 8,
  learningRate: 0.001,
  weightDecay: 0.04,
  weightDecayEnd: 0.4,
  teacherTempWarmup: 0.02,
  teacherTemp: 0.04,
  teacherTempWarmupSteps: 10,
  totalSteps: 40,
  warmupSteps: 5,
  maxSteps: 6,
  logEvery: 1,
  probeEvery: 2,
  knnEvery: 3,
  autosaveEvery: 0,
};

/** Per method: the backbone and local view size (the ViT needs locals of the view size). */
const SETUPS = {
  dino: { method: 'dino', backbone: 'resnet10', backboneWidth: 4, localSize: 8 },
  ibot: { method: 'ibot', backbone: 'vit', vitPatchSize: 4, vitDim: 16, vitDepth: 2, vitHeads: 2, vitDropPath: 0, localSize: 16 },
} as const;

for (const method of ['dino', 'ibot'] as const) {
  test(`${method} + hard HVP: schedules, loss, IoU, multi-crop gallery and kNN fill`, async ({ page }) => {
    const consoleWatch = watchConsole(page);
    await page.goto(tinyQuery({ ...MULTI_CROP, ...SETUPS[method] }));
    await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
    await expect(page.getByTestId('url-warnings')).toHaveCount(0);
    await expect(page.getByTestId('config-field-method')).toHaveValue(method);

    // Planned schedules before the run: all four, one point per step of the 40-step plan, no marker.
    const schedules = page.getByTestId('chart-schedules');
    await expect(schedules).toHaveAttribute('data-points', '40');
    for (const key of ['learningRate', 'weightDecay', 'momentum', 'teacherTemp', ...(method === 'ibot' ? ['teacherPatchTemp'] : [])]) {
      await expect(page.getByTestId(`schedule-${key}`)).toHaveAttribute('data-points', '40');
    }
    await expect(page.getByTestId('schedule-weightDecay')).toContainText('Cosine from 0.04 to 0.4');
    await expect(page.getByTestId('schedule-teacherTemp')).toContainText('linear from 0.02 to 0.04 over the first 10 steps');
    await expect(page.getByTestId('schedule-now-learningRate')).toHaveCount(0);
    // It follows an edit of the config.
    await page.getByTestId('config-field-learningRate').fill('0.002');
    await page.getByTestId('config-field-learningRate').blur();
    await expect(page.getByTestId('schedule-learningRate')).toContainText('from 0 to 0.002 over the first 5 steps');

    // Start, pause after the first logged step: the schedule chart marks the run's step.
    await page.getByTestId('btn-start').click();
    await expect.poll(() => points(page, 'chart-loss'), { timeout: 240_000 }).toBeGreaterThanOrEqual(1);
    await page.getByTestId('btn-pause').click();
    await expect(page.getByTestId('run-state')).toHaveText('paused', { timeout: 120_000 });
    await expect(page.getByTestId('schedule-now-teacherTemp')).toContainText(/at step [1-6]$/);
    await expect(page.getByTestId('schedule-now-momentum')).toContainText('at step');
    // "Explain the next step": one step, its four stages, the global and local views of 4 shown images.
    // L locals per image: (4/2)·1 for DINO, 1 for iBOT (the authors' iBOT selects among global pairs only).
    const numLocals = method === 'dino' ? 2 : 1;
    await expect(page.getByTestId('btn-explain')).toBeEnabled();
    await expect(page.getByTestId('btn-explain')).toHaveAttribute('title', /global and local views/);
    const pausedAt = Number(await page.getByTestId('status-step').getAttribute('data-step'));
    await page.getByTestId('btn-explain').click();
    const stages = page.getByTestId('explain-stages');
    await expect(stages).toBeVisible({ timeout: 120_000 });
    await expect(stages).toHaveAttribute('data-step', String(pausedAt));
    await expect(stages).toHaveAttribute('data-kind', 'multi-crop');
    for (const id of ['explain-stage-views', 'explain-stage-losses', 'explain-stage-choice', 'explain-stage-update']) await expect(page.getByTestId(id)).toBeVisible();
    // 4 shown images (batch 8) × (4 globals + L locals), each with its terms heatmap and 4·L scored combinations.
    const views = page.getByTestId('explain-stage-views');
    await expect(views.locator('[data-testid="gallery-probe"][data-kind="multi-crop"]')).toHaveCount(4);
    await expect(views.getByTestId('multicrop-global')).toHaveCount(16);
    await expect(views.getByTestId('multicrop-local')).toHaveCount(4 * numLocals);
    await expect(views.locator('[data-testid="multicrop-global"][data-chosen="true"]')).toHaveCount(8);
    await expect(views.getByTestId('multicrop-terms')).toHaveCount(4);
    for (const combos of await views.getByTestId('multicrop-combos').all()) await expect(combos).toHaveAttribute('data-scored', String(4 * numLocals));
    await expect(page.getByTestId('explain-scores')).toHaveCount(4);
    await expect(page.getByTestId('explain-choice')).toHaveCount(4);
    await expect(page.getByTestId('explain-choice').first()).toContainText(/g\d/);
    await expect(page.getByTestId('explain-update-summary')).toContainText('→');
    await expect.poll(async () => Number(await page.getByTestId('status-step').getAttribute('data-step'))).toBe(pausedAt + 1);
    await expect(page.getByTestId('run-state')).toHaveText('paused');
    await page.screenshot({ path: `test-results/multicrop-${method}-explain.png`, fullPage: true });
    await page.getByTestId('btn-resume').click();
    await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 300_000 });

    // Loss and IoU: one point per step.
    expect(await points(page, 'chart-loss')).toBe(6);
    expect(await points(page, 'chart-iou')).toBe(6);
    await expect(page.getByTestId('chart-loss')).toContainText(method === 'dino' ? 'DINO loss' : 'iBOT loss');

    // Gallery: 2 probe images × (4 globals + L locals); per image 2 chosen globals and 1 chosen local.
    const gallery = page.getByTestId('gallery');
    await expect(gallery.locator('[data-testid="gallery-probe"][data-kind="multi-crop"]')).toHaveCount(2);
    await expect(gallery.getByTestId('multicrop-global')).toHaveCount(8);
    await expect(gallery.getByTestId('multicrop-local')).toHaveCount(2 * numLocals);
    await expect(gallery.locator('[data-testid="multicrop-global"][data-chosen="true"]')).toHaveCount(4);
    await expect(gallery.locator('[data-testid="multicrop-local"][data-chosen="true"]')).toHaveCount(2);
    await expect(gallery.getByTestId('multicrop-terms')).toHaveCount(2);
    await expect(gallery.getByTestId('multicrop-chosen')).toHaveCount(2);
    // Candidates: 2 even × 2 odd globals × C(L, 1) locals = 8 (DINO) / 4 (iBOT), all scored (cap 128).
    for (const combos of await gallery.getByTestId('multicrop-combos').all()) {
      await expect(combos).toHaveAttribute('data-scored', String(4 * numLocals));
      await expect(combos.locator('[data-chosen="true"]')).toHaveCount(1);
    }
    await expect(page.getByTestId('pair-matrix')).toHaveCount(0);

    // kNN at steps 3 and 6; the other panels render for a multi-crop run.
    await expect(page.getByTestId('knn-value')).toContainText('%');
    expect(await points(page, 'chart-knn')).toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId('pair-stats')).toBeVisible();
    await expect(page.getByTestId('panel-health')).toBeVisible();
    await expect(page.getByTestId('schedule-now-learningRate')).toHaveCount(0);

    // Step slider: back to step 2, the gallery shows that probe's multi-crop cards; Live returns.
    await page.getByTestId('step-slider-input').fill('2');
    await expect(page.getByTestId('gallery-step')).toHaveAttribute('data-step', '2');
    await expect(gallery.locator('[data-testid="gallery-probe"][data-kind="multi-crop"]')).toHaveCount(2);
    await page.getByTestId('step-slider-live').click();
    await expect(page.getByTestId('gallery-step')).toHaveAttribute('data-step', '6');

    await page.screenshot({ path: `test-results/multicrop-${method}-done.png`, fullPage: true });
    expect(consoleWatch.errors).toEqual([]);
  });
}

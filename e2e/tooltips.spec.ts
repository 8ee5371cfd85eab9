// Tooltips in the real app (Chromium): a setting with long help (Method) shows a short tooltip on
// keyboard focus with a "more" button reached by Tab; Enter expands it to the full help, Escape
// hides it, and leaving collapses it; a setting with short help shows it whole, without "more"; a
// tip shown by focus does not block the pointer from the fields under it.
import { expect, test } from '@playwright/test';
import { CONFIG_SCHEMA } from '../src/core/config/schema';
import { fieldTip } from '../src/core/config/schemaHelp';
import { tinyQuery, watchConsole } from './helpers';

test('long help: short tooltip, "more" by keyboard expands it; short help has no "more"', async ({ page }) => {
  test.setTimeout(180_000);
  const consoleWatch = watchConsole(page);
  await page.goto(tinyQuery({ maxSteps: 1 }));
  const method = CONFIG_SCHEMA.find((s) => s.key === 'method')!;
  const tip = fieldTip(method);

  const icon = page.getByRole('button', { name: 'About Method' });
  const popup = page.locator('[data-field="method"]').getByTestId('infotip');
  await icon.focus();
  await expect(popup).toBeVisible();
  await expect(popup.getByRole('tooltip')).toHaveText(tip.short);
  await expect(icon).toHaveAccessibleDescription(tip.short);
  await popup.screenshot({ path: test.info().outputPath('tooltip-short.png') });
  await page.keyboard.press('Tab');
  const more = popup.getByTestId('infotip-more');
  await expect(more).toBeFocused();
  await expect(more).toHaveText('more');
  await page.keyboard.press('Enter');
  await expect(popup.getByRole('tooltip')).toHaveText(method.help);
  await expect(more).toHaveText('less');
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await popup.screenshot({ path: test.info().outputPath('tooltip-full.png') });
  await page.keyboard.press('Escape');
  await expect(popup).toBeHidden();
  await page.keyboard.press('Tab'); // focus leaves the tip: it collapses
  await icon.focus();
  await expect(popup.getByRole('tooltip')).toHaveText(tip.short);

  // The Method tip is still shown (its i has focus) over the fields below it, but lets the pointer through.
  const numViews = CONFIG_SCHEMA.find((s) => s.key === 'numViews')!;
  await page.getByRole('button', { name: `About ${numViews.label}` }).hover();
  const shortPopup = page.locator('[data-field="numViews"]').getByTestId('infotip');
  await expect(shortPopup).toBeVisible();
  await expect(shortPopup.getByRole('tooltip')).toHaveText(numViews.help);
  await expect(shortPopup.getByTestId('infotip-more')).toHaveCount(0);
  expect(consoleWatch.errors).toEqual([]);
});

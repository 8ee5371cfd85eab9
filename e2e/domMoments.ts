// Records, in the page, the order in which things first become visible — a progress bar, a state
// text, an enabled button — so a spec can check that a wait had words before its result arrived,
// however fast the machine is (no timed assertions).
import type { Page } from '@playwright/test';

/** What to watch: a name and a CSS selector with an optional text or enabled condition. */
export interface Moment {
  name: string;
  selector: string;
  /** The element's text must contain this. */
  text?: string;
  /** The element (a button) must be enabled. */
  isEnabled?: boolean;
}

/** Starts recording in the current document (call again after a navigation). */
export async function watchMoments(page: Page, moments: Moment[]): Promise<void> {
  await page.evaluate((list) => {
    const seen: string[] = [];
    (window as unknown as { __moments: string[] }).__moments = seen;
    const check = () => {
      for (const m of list) {
        if (seen.includes(m.name)) continue;
        for (const el of Array.from(document.querySelectorAll(m.selector))) {
          if (m.text !== undefined && !(el.textContent ?? '').includes(m.text)) continue;
          if (m.isEnabled && (el as HTMLButtonElement).disabled) continue;
          seen.push(m.name);
          break;
        }
      }
    };
    check();
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }, moments);
}

/** The names seen so far, in the order they first appeared. */
export async function seenMoments(page: Page): Promise<string[]> {
  return page.evaluate(() => [...((window as unknown as { __moments?: string[] }).__moments ?? [])]);
}

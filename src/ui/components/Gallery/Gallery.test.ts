/**
 * Gallery markup, rendered to static HTML in Node (react-dom/server, no DOM): the empty state,
 * one card per probe image, N views per card, and exactly the selected pair marked — in the
 * views (data-selected) and in both mirror cells of the pair matrix, with loss and IoU tooltips.
 */
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { countMatches, renderWithStore } from '../../../../tests/helpers/renderWithStore';
import type { ProbeSnapshot } from '../../../core/train/metrics';
import { createAppStore, type AppStore } from '../../store/appStore';
import { Gallery } from './Gallery';

const render = (store: AppStore): string => renderWithStore(store, createElement(Gallery));

describe('Gallery markup', () => {
  it('renders one card per probe image, N views, and marks exactly the selected pair', () => {
    const n = 4;
    const view = { top: 0, left: 0, height: 8, width: 8, isFlipped: true, hasJitter: false, brightness: 1, contrast: 1, saturation: 1, hue: 0,
      jitterOrder: [0, 1, 2, 3] as [number, number, number, number], isGrayscale: false, blurSigma: 0, isSolarized: false };
    const image = (idx: number) => ({
      imageIdx: idx, label: 0, className: 'disk', source: new Uint8Array(16 * 16 * 3), sourceSize: 16, params: [view, view, view, view],
      views: new Uint8Array(n * 8 * 8 * 3), viewSize: 8, pairLosses: [0.1, 0.2, 0.3, 0.4, 0.6, 0.5],
      selectedPair: [1, 3] as [number, number], pairIous: [0.5, 0.5, 0.5, 0.1, 0.5, 0.5],
    });
    const probe: ProbeSnapshot = { step: 40, numViews: n, images: [image(1), image(2)] };
    const store = createAppStore();
    expect(render(store)).toContain('appear once training');
    store.getState().applyWorkerMessage({ type: 'probe', probe });
    const html = render(store);
    expect(countMatches(html, /data-testid="gallery-probe"/g)).toBe(2);
    expect(countMatches(html, /data-testid="gallery-view"/g)).toBe(2 * n);
    expect(countMatches(html, /data-testid="gallery-view" data-selected="true"/g)).toBe(4);
    expect(countMatches(html, /data-testid="pair-matrix"/g)).toBe(2);
    // Both mirror cells (v2,v4) and (v4,v2) are outlined; the tooltip names loss and IoU.
    expect(countMatches(html, /<td[^>]*data-selected="true"/g)).toBe(4);
    expect(html).toContain('v2–v4: loss 0.600, IoU 0.50 — selected pair');
    expect(html).toContain('v4–v2: loss 0.600, IoU 0.50 — selected pair');
    expect(html).toContain('v2–v3: loss 0.400, IoU 0.10 — lowest IoU');
    expect(html).toContain('data-points="2"');
  });
});

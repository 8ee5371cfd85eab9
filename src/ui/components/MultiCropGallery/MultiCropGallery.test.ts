/**
 * Gallery markup for a multi-crop method, rendered to static HTML in Node (react-dom/server, no
 * DOM): DINO probe images get the multi-crop card (G global and L local tiles, the chosen
 * combination's views and terms marked, the scored combinations), while pair-method images in the
 * same gallery keep the pair card, and a malformed record shows its message instead of crashing.
 */
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { countMatches, renderWithStore } from '../../../../tests/helpers/renderWithStore';
import { DEFAULT_CONFIG } from '../../../core/config/runConfig';
import type { ViewParams } from '../../../core/data/types';
import type { MultiCropProbe, ProbeImage, ProbeSnapshot } from '../../../core/train/metrics';
import { createAppStore, type AppStore } from '../../store/appStore';
import { Gallery } from '../Gallery/Gallery';

const render = (store: AppStore): string => renderWithStore(store, createElement(Gallery));

const view: ViewParams = {
  top: 0, left: 0, height: 8, width: 8, isFlipped: false, hasJitter: false, brightness: 1, contrast: 1, saturation: 1, hue: 0,
  jitterOrder: [0, 1, 2, 3], isGrayscale: false, blurSigma: 0, isSolarized: false,
};

/** G = 4 globals (16 px), L = 2 locals (8 px), 4 combinations of 2 globals + 1 local. */
function image(idx: number, over: Partial<MultiCropProbe> = {}): ProbeImage {
  const G = 4;
  const L = 2;
  const mc: MultiCropProbe = {
    numGlobals: G, numLocals: L, localSize: 8, localParams: [view, view], localViews: new Uint8Array(L * 8 * 8 * 3),
    terms: Array.from({ length: G * (G + L) }, (_, i) => 0.5 + i / 100),
    combos: [
      { globals: [0, 1], locals: [0], loss: 2.1 },
      { globals: [2, 3], locals: [1], loss: 2.6 },
      { globals: [0, 3], locals: [1], loss: 2.4 },
      { globals: [2, 1], locals: [0], loss: 2.2 },
    ],
    selectedCombo: 1,
    ...over,
  };
  return {
    imageIdx: idx, label: 1, className: 'ring', source: new Uint8Array(16 * 16 * 3), sourceSize: 16, params: [view, view, view, view],
    views: new Uint8Array(G * 16 * 16 * 3), viewSize: 16, pairLosses: [2.1, 2.2, 2.4, NaN, NaN, 2.6], selectedPair: [2, 3],
    pairIous: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], multiCrop: mc,
  };
}

describe('Gallery with multi-crop probe images', () => {
  it('shows globals, locals, the chosen combination and the terms heatmap per image', () => {
    const store = createAppStore();
    store.getState().loadConfig({ ...DEFAULT_CONFIG, method: 'dino', numViews: 4, numLocalViews: 1 }, []);
    const probe: ProbeSnapshot = { step: 6, numViews: 4, images: [image(1), image(2)] };
    store.getState().applyWorkerMessage({ type: 'probe', probe });
    const html = render(store);
    expect(countMatches(html, /data-testid="gallery-probe"/g)).toBe(2);
    expect(countMatches(html, /data-kind="multi-crop"/g)).toBe(2);
    expect(countMatches(html, /data-testid="multicrop-global"/g)).toBe(8);
    expect(countMatches(html, /data-testid="multicrop-local"/g)).toBe(4);
    // chosen g3+g4 · l2: 2 globals + 1 local per image
    expect(countMatches(html, /data-testid="multicrop-global" data-chosen="true"/g)).toBe(4);
    expect(countMatches(html, /data-testid="multicrop-local" data-chosen="true"/g)).toBe(2);
    // locals drawn at half the globals' size (8 px of 16 px → 30 of 60 CSS px)
    expect(html).toContain('width:30px;height:30px');
    expect(countMatches(html, /data-testid="multicrop-terms"/g)).toBe(2);
    // terms of the chosen combination: rows g3, g4 × columns {g3, g4, l2} without the diagonal = 4 per image
    expect(countMatches(html, /<td[^>]*data-chosen="true"/g)).toBe(8);
    expect(html).toContain('teacher g3 → student l2: CLS cross-entropy');
    expect(html).toContain('data-scored="4"');
    expect(html).toContain('4</b> of 8 possible combinations scored'); // 2 even × 2 odd globals × C(2, 1) locals
    expect(countMatches(html, /data-testid="multicrop-combo" data-chosen="true"|data-chosen="true" data-testid="multicrop-combo"/g)).toBe(2);
    expect(html).toContain('Chosen <b>g3+g4 · l2</b>');
    expect(html).toContain('2 global (even × odd) and l local views');
    // no pair-method cards
    expect(countMatches(html, /data-testid="pair-matrix"/g)).toBe(0);
  });

  it('keeps the iBOT diagonal as the masked-patch term', () => {
    const store = createAppStore();
    store.getState().loadConfig({ ...DEFAULT_CONFIG, method: 'ibot', backbone: 'vit', numViews: 4, numLocalViews: 1 }, []);
    store.getState().applyWorkerMessage({ type: 'probe', probe: { step: 2, numViews: 4, images: [image(1)] } });
    const html = render(store);
    expect(html).toContain('teacher g1 → student g1: masked-patch term');
    expect(html).toContain('the diagonal the masked-patch term');
  });

  it('names the problem of a malformed record instead of crashing the page', () => {
    const store = createAppStore();
    store.getState().loadConfig({ ...DEFAULT_CONFIG, method: 'dino' }, []);
    store.getState().applyWorkerMessage({ type: 'probe', probe: { step: 2, numViews: 4, images: [image(3, { terms: [1, 2, 3] })] } });
    const html = render(store);
    expect(html).toContain('Multi-crop probe of image 3 is malformed: 3 loss terms, expected G × (G + L) = 24');
    expect(html).toContain('role="alert"');
  });
});

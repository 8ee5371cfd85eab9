/**
 * What a selection step's candidates are scored on when it differs from what is trained on
 * (the colour-static and low-resolution selection variants of hard / easy HVP):
 *   colorStatic (paper Sec. 6.1.3, Fig. 3 right): the candidate views share ONE colour augmentation
 *     — jitter (applied flag, factors, order), grayscale and solarize — per step ('step') or per
 *     image ('image'); crop, flip and blur stay each view's own. The shared colour comes from a
 *     stateless stream derived from the run seed and the step index (`color-static-${stepIdx}`):
 *     'step' draws one full sampleViewParams and keeps its colour fields; 'image' draws one per
 *     image m = 0 … M − 1 in that order. The view stream and the snapshot are untouched, so
 *     resume stays exact.
 *   selectScale: the candidates are rendered at round(size · selectScale) (globals from imageSize,
 *     locals from localSize); training gathers the chosen views at full size.
 * `selectionAgreement` measures how often a low-resolution choice equals the full-size one
 * (bench/cpu/selectScaleBench.ts).
 * Must not import: tfjs, DOM, anything outside core.
 */
import type { ColorStaticMode, RunConfig } from '../config/runConfig';
import type { ViewParams } from '../data/types';
import { sampleViewParams, type AugmentOptions } from '../data/viewParams';
import { createRng, deriveSeed } from '../random';

/** The colour fields of ViewParams a colour-static selection shares. */
export type ColorParams = Pick<ViewParams, 'hasJitter' | 'brightness' | 'contrast' | 'saturation' | 'hue' | 'jitterOrder' | 'isGrayscale' | 'isSolarized'>;

/** The colour fields of one view's parameters (a copy). */
export function colorOf(p: ViewParams): ColorParams {
  return {
    hasJitter: p.hasJitter, brightness: p.brightness, contrast: p.contrast, saturation: p.saturation, hue: p.hue,
    jitterOrder: [...p.jitterOrder] as ViewParams['jitterOrder'], isGrayscale: p.isGrayscale, isSolarized: p.isSolarized,
  };
}

/** Name of the stateless stream of step `stepIdx`'s shared colours (derived from the run seed). */
export const colorStaticStream = (stepIdx: number): string => `color-static-${stepIdx}`;

/**
 * The shared colour of every image of step `stepIdx`: one for all ('step', the same object M
 * times) or one per image ('image'), drawn as documented in the header. Draws nothing from the
 * run's streams.
 */
export function sharedColors(mode: Exclude<ColorStaticMode, 'off'>, seed: number, stepIdx: number, aug: AugmentOptions, numImages: number, srcHeight: number, srcWidth: number): ColorParams[] {
  const rng = createRng(deriveSeed(seed, colorStaticStream(stepIdx)));
  if (mode === 'step') {
    const c = colorOf(sampleViewParams(rng, aug, srcHeight, srcWidth));
    return Array.from({ length: numImages }, () => c);
  }
  return Array.from({ length: numImages }, () => colorOf(sampleViewParams(rng, aug, srcHeight, srcWidth)));
}

/** View-major params (element k·M + m) with image m's colour replaced by `colors[m]`; crop, flip and blur kept. */
export function withSharedColor(params: readonly ViewParams[], colors: readonly ColorParams[]): ViewParams[] {
  const M = colors.length;
  return params.map((p, v) => ({ ...p, ...colorOf({ ...p, ...colors[v % M]! }) }));
}

/** Side of a selection view: round(size · scale), at least 1 px (schema.ts checks it against the ViT patch). */
export function selectionSize(size: number, scale: number): number {
  return Math.max(1, Math.round(size * scale));
}

/** Whether step views for selection differ from the trained ones under `config` (a non-default variant). */
export function hasSelectionVariant(config: Pick<RunConfig, 'colorStatic' | 'selectScale'>): boolean {
  return config.colorStatic !== 'off' || config.selectScale !== 1;
}

/**
 * Agreement of two choices of one step: the fraction of images whose candidate index in `a`
 * equals the one in `b` (e.g. the low-resolution vs the full-size selection). Both [M], same
 * candidate table; 1 for M = 0.
 */
export function selectionAgreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`selectionAgreement: ${a.length} vs ${b.length} images`);
  if (a.length === 0) return 1;
  let same = 0;
  for (let m = 0; m < a.length; m++) if (a[m] === b[m]) same += 1;
  return same / a.length;
}

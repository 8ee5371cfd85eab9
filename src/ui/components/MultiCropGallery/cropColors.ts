/**
 * Colours of view frames and swatches on the white cards (the multi-crop views, also their boxes on
 * the source; the pair gallery's tile frames and swatches): the gallery's
 * Okabe–Ito palette (Gallery/galleryMath.ts VIEW_COLORS) with its two light colours, yellow and
 * white, replaced by a dark yellow and black, so every frame shows on the white card. Also tells
 * dark colours apart, so the source canvas gives them a light halo and white label text.
 * Must not import: React, zustand, recharts, tfjs.
 */
import { VIEW_COLORS } from '../Gallery/galleryMath';

/** Light palette entries and their stand-ins on a white background. */
const ON_WHITE: Readonly<Record<string, string>> = { '#f0e442': '#b39b00', '#ffffff': '#000000' };

/** The palette of the multi-crop views, in view order. */
export const CROP_COLORS: readonly string[] = VIEW_COLORS.map((c) => ON_WHITE[c.toLowerCase()] ?? c);

/** Colour of multi-crop view number `k` (globals first, then locals; wraps past the palette). */
export function cropColor(k: number): string {
  return CROP_COLORS[k % CROP_COLORS.length]!;
}

/** WCAG relative luminance of a '#rrggbb' colour, in [0, 1]. */
export function relativeLuminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG contrast ratio of a '#rrggbb' colour against white (1 = invisible, 21 = black). */
export function contrastOnWhite(hex: string): number {
  return 1.05 / (relativeLuminance(hex) + 0.05);
}

/** Whether black text or a dark halo would vanish on this colour. */
export function isDarkColor(hex: string): boolean {
  return relativeLuminance(hex) < 0.1;
}

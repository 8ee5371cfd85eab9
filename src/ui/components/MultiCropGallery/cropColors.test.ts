// cropColors: every multi-crop view colour shows on the white card (the l4 frame was white on
// white), the palette stays distinct and follows the gallery's where that one is visible.
import { describe, expect, it } from 'vitest';
import { VIEW_COLORS } from '../Gallery/galleryMath';
import { contrastOnWhite, CROP_COLORS, cropColor, isDarkColor } from './cropColors';

describe('cropColors', () => {
  it('gives every view a colour visible on white', () => {
    expect(contrastOnWhite('#ffffff')).toBeCloseTo(1);
    expect(contrastOnWhite('#000000')).toBeCloseTo(21);
    for (const c of CROP_COLORS) expect(contrastOnWhite(c), c).toBeGreaterThanOrEqual(2);
    for (let k = 0; k < 12; k++) expect(cropColor(k)).not.toBe('#ffffff');
  });

  it('keeps the gallery palette where it is visible, and stays distinct', () => {
    expect(new Set(CROP_COLORS).size).toBe(CROP_COLORS.length);
    CROP_COLORS.forEach((c, i) => {
      if (contrastOnWhite(VIEW_COLORS[i]!) >= 2) expect(c).toBe(VIEW_COLORS[i]);
    });
    expect(cropColor(CROP_COLORS.length)).toBe(cropColor(0));
  });

  it('marks dark colours (light halo and white label text on the source)', () => {
    expect(isDarkColor('#000000')).toBe(true);
    expect(isDarkColor('#0072b2')).toBe(false); // black text still reads on it (4:1)
    expect(isDarkColor('#e69f00')).toBe(false);
  });
});

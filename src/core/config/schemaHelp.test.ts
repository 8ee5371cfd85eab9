// Short tooltips: every config field's tooltip fits TIP_SHORT_CHARS and starts with its default;
// the split keeps whole sentences, skips abbreviations, and cuts a long sentence at a clause.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './runConfig';
import { CONFIG_SCHEMA, fieldSpec } from './schema';
import { fieldTip, sentences, splitHelp, TIP_SHORT_CHARS } from './schemaHelp';

describe('splitHelp', () => {
  it('keeps a short text whole', () => {
    expect(splitHelp('Default 4. Range 2–8.')).toEqual({ short: 'Default 4. Range 2–8.', hasMore: false });
  });

  it('takes the first whole sentences that fit', () => {
    const text = `${'A'.repeat(80)}. ${'B'.repeat(80)}. ${'C'.repeat(80)}.`;
    expect(splitHelp(text)).toEqual({ short: `${'A'.repeat(80)}. ${'B'.repeat(80)}.`, hasMore: true });
  });

  it('does not end a sentence at an abbreviation or inside a number', () => {
    expect(sentences('Collapses if weakened, e.g. a very high rate. Range 0.01–0.5. Done.')).toEqual([
      'Collapses if weakened, e.g. a very high rate.', 'Range 0.01–0.5.', 'Done.',
    ]);
  });

  it('tops up a short start with the next sentence cut at a clause, outside parentheses, with "…"', () => {
    const long = `Momentum of the target (slow, stable), ${'word '.repeat(20)}then more; ${'tail '.repeat(40)}end.`;
    const { short, hasMore } = splitHelp(`Default 0.9. ${long}`);
    expect(hasMore).toBe(true);
    expect(short.length).toBeLessThanOrEqual(TIP_SHORT_CHARS);
    expect(short).toMatch(/^Default 0\.9\. Momentum of the target \(slow, stable\), .*then more…$/);
  });
});

describe('config field tooltips', () => {
  it('are at most TIP_SHORT_CHARS long, start with the default, and have the full help behind "more"', () => {
    for (const spec of CONFIG_SCHEMA) {
      const tip = fieldTip(spec);
      expect(tip.short.length, spec.key).toBeLessThanOrEqual(TIP_SHORT_CHARS);
      expect(tip.short, spec.key).toMatch(new RegExp(`^Default ${String(DEFAULT_CONFIG[spec.key]).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\. `));
      expect(tip.full).toBe(spec.help);
      expect(tip.hasMore).toBe(spec.help.length > TIP_SHORT_CHARS || spec.summary !== undefined);
      expect(tip.short.split('(').length, spec.key).toBe(tip.short.split(')').length);
    }
  });

  it('the Method tooltip is a summary of the 1,500-character help', () => {
    const tip = fieldTip(fieldSpec('method'));
    expect(fieldSpec('method').help.length).toBeGreaterThan(1400);
    expect(tip.short).toMatch(/^Default simsiam\. The self-supervised method that trains the encoder: /);
    expect(tip.hasMore).toBe(true);
  });
});

/**
 * Strict numerals for settings typed by people (URL, `--set`, the config panel, JSON strings):
 * plain decimal only — digits with an optional sign, point and exponent (`12`, `-0.5`, `1e-4`).
 * `Number()` also accepts `0x10`, `0b101`, `0o17`, `Infinity` and an empty string (as 0); those
 * are refused here with a message that says why. Whitespace around the numeral is allowed.
 * Must not import: tfjs, DOM, React.
 */
import { quoteText } from './valueText';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Longest numeral read; a longer one is refused before the pattern runs over it. */
const MAX_NUMERAL_CHARS = 64;

/** A parsed numeral, or why the text is not one: `problem` is a sentence fragment that quotes the
 * text (shortened); `reason` the part after "is", present when there is more to say than "not a number". */
export type DecimalResult = { value: number; problem?: undefined; reason?: undefined } | { value?: undefined; problem: string; reason?: string };

/** Parses `text` as a plain decimal number; -0 reads as 0. */
export function parseDecimal(text: string): DecimalResult {
  const t = text.trim();
  const shown = quoteText(text);
  const refuse = (reason?: string): DecimalResult => ({ problem: `${shown} is ${reason ?? 'not a number'}`, reason });
  if (t.length > MAX_NUMERAL_CHARS) return refuse();
  if (DECIMAL.test(t)) {
    const value = Number(t);
    if (!Number.isFinite(value)) return refuse('too large to be a number here');
    return { value: value === 0 ? 0 : value };
  }
  if (/^[+-]?0[xXbBoO]/.test(t)) return refuse('not a plain decimal number (hexadecimal, binary and octal forms are refused)');
  if (/^[+-]?(?:Infinity|inf)$/i.test(t)) return refuse('not a finite number');
  return refuse();
}

/**
 * Short, safe text for any value a user or a file handed us, for messages and warnings: strings
 * are cut to a few dozen characters (with an ellipsis and the full length), and objects, arrays
 * and functions are named by kind — their `toString`, `valueOf` and getters are never called, so
 * a hostile value cannot throw, recurse or flood the message.
 * Must not import: tfjs, DOM, React.
 */

/** How many characters of a raw value a message echoes. */
export const ECHO_CHARS = 40;

/** `text` cut to `max` characters with "…" and the full length, e.g. `aaaa… (1048576 characters)`. */
export function shortText(text: string, max: number = ECHO_CHARS): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // never split a surrogate pair
  return `${cut}… (${text.length} characters)`;
}

/** A string in quotes with control characters escaped, cut as `shortText`. */
export function quoteText(text: string, max: number = ECHO_CHARS): string {
  if (text.length <= max) return JSON.stringify(text);
  let cut = text.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${JSON.stringify(`${cut}…`)} (${text.length} characters)`;
}

/**
 * What a raw value is, in a few words: `"abc"` (quoted, shortened), `12`, `true`, `null`, or the
 * kind of value (`an object`, `an array`, `a function`). Never throws and never calls the value.
 */
export function describeValue(raw: unknown): string {
  switch (typeof raw) {
    case 'string':
      return quoteText(raw);
    case 'number':
      return Object.is(raw, -0) ? '0' : String(raw);
    case 'boolean':
      return String(raw);
    case 'bigint':
      return shortText(`${raw.toString()}n`);
    case 'undefined':
      return 'nothing';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      if (raw === null) return 'null';
      try {
        return Array.isArray(raw) ? 'an array' : 'an object';
      } catch {
        return 'an object'; // a revoked Proxy throws even on Array.isArray
      }
  }
}

/**
 * The shape of an untrusted JSON text, measured before JSON.parse builds anything: how deeply it
 * nests and how many keys its root object has. A checkpoint's header and run record are parsed
 * only when both are within bounds, so a 5,000-deep field (which structuredClone and recursive
 * validators cannot handle) or a million tensor entries (gigabytes of objects) are refused in one
 * linear pass over the text, with no allocation per value. Safe on any text, valid JSON or not:
 * strings are skipped by their closing quote and the scan never reads past the end.
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */

/** What `jsonShape` measured; it stops early once a limit is passed. */
export interface JsonShape {
  /** Deepest nesting of objects and arrays (a flat `{}` is 1), or the first depth past the limit. */
  maxDepth: number;
  /** Keys of the root object (0 when the root is not an object), or the first count past the limit. */
  numRootKeys: number;
}

/** Scans `text`, stopping as soon as nesting passes `maxDepth` or the root keys pass `maxRootKeys`. */
export function jsonShape(text: string, limits: { maxDepth: number; maxRootKeys: number }): JsonShape {
  let depth = 0;
  let maxDepth = 0;
  let numRootKeys = 0;
  const n = text.length;
  const isRootObject = nextNonSpace(text, 0) === 0x7b;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: at depth 1 inside an object, a string followed by ':' is a root key.
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      if (depth === 1 && isRootObject && nextNonSpace(text, j + 1) === 0x3a) {
        numRootKeys++;
        if (numRootKeys > limits.maxRootKeys) break;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
      if (depth > limits.maxDepth) break;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return { maxDepth, numRootKeys };
}

function nextNonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i < text.length ? text.charCodeAt(i) : -1;
}

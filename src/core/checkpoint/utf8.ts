/**
 * UTF-8 text <-> bytes through the runtime's TextEncoder / TextDecoder. Every runtime core runs in
 * (browsers, workers, Node ≥ 11) has both as globals, but lib ES2022 (tsconfig.core.json) does not
 * declare them, so they are reached through a typed view of globalThis instead of a global `declare`
 * that would clash with lib DOM in the ui/ and worker/ type checks.
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */

interface TextCodecGlobals {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(bytes: Uint8Array): string };
}

const globals = globalThis as unknown as TextCodecGlobals;

/** UTF-8 bytes of `text`. */
export function utf8Encode(text: string): Uint8Array {
  return new globals.TextEncoder().encode(text);
}

/** Text of UTF-8 `bytes`; throws a TypeError on invalid UTF-8 (fatal decoder, no U+FFFD substitution). */
export function utf8Decode(bytes: Uint8Array): string {
  return new globals.TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/**
 * Short tooltips from long help texts: the first sentences of a help text that fit in about
 * TIP_SHORT_CHARS characters are what a tooltip shows; the whole text sits behind its "more"
 * toggle. A schema row may instead give an explicit `summary` (used when the first sentence alone
 * is too long to say what the field is).
 * Must not import: tfjs, DOM, React.
 */
import type { FieldSpec } from './schema';

/** Longest short tooltip text, in characters (the "…" of a cut clause included). */
export const TIP_SHORT_CHARS = 200;

/** A short part under this length is topped up with the first clauses of the next sentence. */
const MIN_USEFUL_CHARS = 80;

// Abbreviations whose full stop does not end a sentence ("e.g. a very high learning rate").
const ABBREVIATION = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf|approx|resp)\.$/i;

/** The sentences of `text`: split after . ! ? followed by white space, not after abbreviations. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const part of text.trim().split(/(?<=[.!?])\s+/)) {
    const prev = out[out.length - 1];
    if (prev !== undefined && ABBREVIATION.test(prev)) out[out.length - 1] = `${prev} ${part}`;
    else if (part) out.push(part);
  }
  return out;
}

const count = (s: string, c: string): number => s.split(c).length - 1;

/** The start of `sentence` cut at a clause boundary (; : , or an opening parenthesis) within
 * `room` characters, never inside an unclosed parenthesis; at a word boundary if none. */
function firstClauses(sentence: string, room: number): string {
  const head = sentence.slice(0, room);
  const cuts = ['; ', ': ', ', ', ' (']
    .flatMap((sep) => [...head.matchAll(new RegExp(sep.replace('(', '\\('), 'g'))].map((m) => m.index))
    .filter((i) => i > room / 3 && count(head.slice(0, i), '(') === count(head.slice(0, i), ')'))
    .sort((a, b) => b - a);
  if (cuts.length > 0) return head.slice(0, cuts[0]).replace(/[\s,;:]+$/, '');
  const space = head.lastIndexOf(' ');
  return head.slice(0, space > 0 ? space : room).replace(/[\s,;:(]+$/, '');
}

/** A help text as a tooltip: `short` (≤ maxChars: whole first sentences, topped up with the
 * next sentence's first clauses and "…" when they alone say too little) and whether the full
 * text says more. */
export function splitHelp(text: string, maxChars = TIP_SHORT_CHARS): { short: string; hasMore: boolean } {
  const full = text.trim();
  if (full.length <= maxChars) return { short: full, hasMore: false };
  const all = sentences(full);
  let short = '';
  let numTaken = 0;
  for (const s of all) {
    const next = short ? `${short} ${s}` : s;
    if (next.length > maxChars) break;
    short = next;
    numTaken++;
  }
  const rest = all[numTaken];
  if (rest !== undefined && short.length < MIN_USEFUL_CHARS) {
    const room = maxChars - short.length - (short ? 1 : 0) - 1; // a space before, "…" after
    short = `${short ? `${short} ` : ''}${firstClauses(rest, room)}…`;
  }
  return { short, hasMore: true };
}

/** The tooltip of a config field: its `summary` when it has one, else the short part of its help;
 * `full` is the whole help text, shown behind "more". */
export function fieldTip(spec: Pick<FieldSpec, 'help' | 'summary'>): { short: string; full: string; hasMore: boolean } {
  if (spec.summary) return { short: spec.summary, full: spec.help, hasMore: spec.summary !== spec.help };
  const { short, hasMore } = splitHelp(spec.help);
  return { short, full: spec.help, hasMore };
}

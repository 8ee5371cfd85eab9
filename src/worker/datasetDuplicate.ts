/**
 * Finding an import that is already stored: a content hash of exactly what a stored set holds
 * (image size, pixels, labels, class names, the source's test marks) and the search of the
 * stored sets for one with the same content. Sets stored before the hash existed are loaded and
 * hashed on demand, only when their count, size and classes already match. Used by
 * datasetHandler.ts so importing the same files twice selects the first set instead of storing
 * "toys (2)". The name plays no part: the same images under another folder name are a duplicate.
 * Must not import: ui/, DOM, tfjs.
 */
import type { StoredArrays, StoredDatasetMeta } from './datasetCache';

/** What the hash covers: the arrays `put` stores and the meta fields that change what they mean. */
export interface DatasetContent extends StoredArrays {
  imageSize: number;
  /** Class names of a labelled set ([] for an unlabelled one). */
  classNames: readonly string[];
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

/** Two murmur3-style 32-bit lanes with different seeds: a 64-bit hash of a word stream. */
class Hasher {
  private h1 = 0x9747b28c;
  private h2 = 0x2c1b3c6d;
  private length = 0;

  word(w: number): void {
    let k = Math.imul(w, C1);
    k = Math.imul(rotl(k, 15), C2);
    this.h1 = (Math.imul(rotl(this.h1 ^ k, 13), 5) + 0xe6546b64) | 0;
    this.h2 = (Math.imul(rotl(this.h2 ^ rotl(k, 7), 17), 9) + 0x52dce729) | 0;
    this.length++;
  }

  /** Every byte of `bytes` (whole little-endian words when aligned, then the tail). */
  bytes(bytes: Uint8Array): void {
    this.word(bytes.length);
    let i = 0;
    if (bytes.byteOffset % 4 === 0) {
      const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
      for (; i < words.length; i++) this.word(words[i]!);
      i *= 4;
    }
    for (; i + 3 < bytes.length; i += 4) this.word(bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    let tail = 0;
    for (let s = 0; i < bytes.length; i++, s += 8) tail |= bytes[i]! << s;
    this.word(tail);
  }

  text(s: string): void {
    this.word(s.length);
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
  }

  /** 16 hex digits. */
  digest(): string {
    const fmix = (h: number): number => {
      h ^= this.length;
      h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      return (h ^ (h >>> 16)) >>> 0;
    };
    return fmix(this.h1).toString(16).padStart(8, '0') + fmix(this.h2).toString(16).padStart(8, '0');
  }
}

/** Hash of a set's content: every pixel, label and test mark, the image size and class names.
 * A test-mark array without any mark counts as no marks (`put` stores it as none). */
export function datasetContentHash(c: DatasetContent): string {
  const h = new Hasher();
  h.word(c.imageSize);
  h.bytes(c.images);
  h.word(c.labels ? 1 : 0);
  if (c.labels) h.bytes(new Uint8Array(c.labels.buffer, c.labels.byteOffset, c.labels.byteLength));
  const hasMarks = c.isSourceTest !== null && c.isSourceTest.some((t) => t !== 0);
  h.word(hasMarks ? 1 : 0);
  if (hasMarks) h.bytes(c.isSourceTest!);
  h.word(c.classNames.length);
  for (const name of c.classNames) h.text(name);
  return h.digest();
}

/** What an import would store, as the duplicate search compares it. */
export interface ImportedContent {
  numImages: number;
  imageSize: number;
  classNames: readonly string[];
  isLabelled: boolean;
  contentHash: string;
}

const sameClasses = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The stored set with the same content as `content`, or null. Sets are compared by count, size and
 * classes first; then by their stored `contentHash`, or, for sets stored without one, by hashing
 * what `load` returns for them (a set that cannot be loaded is skipped).
 */
export async function findDuplicate(
  content: ImportedContent, stored: readonly StoredDatasetMeta[], load: (id: string) => Promise<StoredArrays>,
): Promise<StoredDatasetMeta | null> {
  const candidates = stored.filter((m) => m.numImages === content.numImages && m.imageSize === content.imageSize
    && m.isLabelled === content.isLabelled && sameClasses(m.classNames, content.classNames));
  for (const m of candidates) {
    let hash = m.contentHash;
    if (hash === undefined) {
      // A damaged older set is not "the same": the import goes on and stores a good copy.
      const arrays = await load(m.id).catch(() => null);
      if (!arrays) continue;
      hash = datasetContentHash({ ...arrays, imageSize: m.imageSize, classNames: m.classNames });
    }
    if (hash === content.contentHash) return m;
  }
  return null;
}

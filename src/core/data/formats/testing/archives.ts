/**
 * Test helpers: builds real tar, tar.gz and zip archives in memory (ustar headers with correct
 * checksums, optional GNU long-name records; gzip and zip through fflate) for the importer tests.
 * Test-only: nothing outside *.test.ts imports this.
 * Must not import: tfjs, DOM.
 */
import { gzipSync, strToU8, zipSync, type Zippable } from 'fflate';

/** One tar member; type '0' (regular file) unless given ('5' directory, '2' symlink, 'x' pax header, …). */
export interface TarMember {
  path: string;
  /** POSIX ustar prefix field (the path's leading folders when the name alone is over 100 bytes). */
  prefix?: string;
  bytes?: Uint8Array;
  type?: string;
}

const BLOCK = 512;

function writeString(block: Uint8Array, offset: number, length: number, s: string): void {
  const bytes = strToU8(s);
  if (bytes.length > length) throw new RangeError(`tar field of ${length} bytes cannot hold "${s}"`);
  block.set(bytes, offset);
}

const octal = (n: number, width: number): string => n.toString(8).padStart(width - 1, '0');

/** One 512-byte ustar header (POSIX "ustar\0" magic, or GNU "ustar  " when `isGnu`) with its checksum. */
export function tarHeader(name: string, size: number, type: string, isGnu = false, prefix = ''): Uint8Array {
  const h = new Uint8Array(BLOCK);
  writeString(h, 0, 100, name);
  if (prefix) writeString(h, 345, 155, prefix);
  writeString(h, 100, 8, octal(0o644, 8));
  writeString(h, 108, 8, octal(0, 8));
  writeString(h, 116, 8, octal(0, 8));
  writeString(h, 124, 12, octal(size, 12));
  writeString(h, 136, 12, octal(1_700_000_000, 12));
  h[156] = type.charCodeAt(0);
  if (isGnu) writeString(h, 257, 8, 'ustar  ');
  else {
    writeString(h, 257, 6, 'ustar');
    writeString(h, 263, 2, '00');
  }
  writeString(h, 265, 32, 'user');
  writeString(h, 297, 32, 'group');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  writeString(h, 148, 8, `${octal(sum, 7)}\0`);
  return h;
}

/**
 * A tar archive of `members`, ending with two zero blocks. Names over 100 characters get a GNU
 * 'L' long-name record (headers in GNU format then).
 */
export function makeTar(members: TarMember[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const pushData = (data: Uint8Array): void => {
    parts.push(data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(new Uint8Array(pad));
  };
  for (const m of members) {
    const data = m.bytes ?? new Uint8Array(0);
    const type = m.type ?? '0';
    const size = type === '5' || type === '2' ? 0 : data.length;
    const isLong = strToU8(m.path).length > 100;
    if (isLong) {
      const name = strToU8(`${m.path}\0`);
      parts.push(tarHeader('././@LongLink', name.length, 'L', true));
      pushData(name);
    }
    parts.push(tarHeader(isLong ? m.path.slice(0, 100) : m.path, size, type, isLong, m.prefix));
    if (size) pushData(data);
  }
  parts.push(new Uint8Array(2 * BLOCK));
  return concat(parts);
}

/** tar.gz of `members` (fflate gzip). */
export function makeTarGz(members: TarMember[], level: 0 | 1 | 6 | 9 = 6): Uint8Array {
  return gzipSync(makeTar(members), { level });
}

/** A zip of path → bytes; a path ending in "/" is a folder entry (fflate zipSync). */
export function makeZip(entries: Record<string, Uint8Array>): Uint8Array {
  const tree: Zippable = {};
  for (const [path, bytes] of Object.entries(entries)) tree[path] = path.endsWith('/') ? {} : bytes;
  return zipSync(tree, { level: 6 });
}

/** Concatenation of byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/**
 * Path helpers of the importers: normalising the relative paths of dropped files and archive
 * members, file names, natural sorting, and recognising OS junk (macOS resource forks, Finder and
 * Explorer metadata) that archives and folder drops carry along.
 * Must not import: tfjs, DOM.
 */

/** "./a\\b//c.png" → "a/b/c.png": forward slashes, no leading "./" or "/", no empty segments. */
export function normalizePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

/** Last segment of a path: "a/b/c.png" → "c.png". */
export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** Directory segments of a path: "a/b/c.png" → ["a", "b"]. */
export function dirParts(path: string): string[] {
  const parts = path.split('/');
  parts.pop();
  return parts;
}

/** Lower-case extension without the dot ("" when none): "x.JPG" → "jpg". */
export function extensionOf(path: string): string {
  const name = baseName(path);
  const i = name.lastIndexOf('.');
  return i <= 0 ? '' : name.slice(i + 1).toLowerCase();
}

/** A file or archive name without its archive extensions: "cifar-10-binary.tar.gz" → "cifar-10-binary". */
export function stripArchiveExtension(name: string): string {
  return baseName(name).replace(/\.(tar\.gz|tgz|tar|zip|gz)$/i, '');
}

const JUNK_NAMES = new Set(['.ds_store', 'thumbs.db', 'desktop.ini', '.localized']);

/**
 * True for files no user means as data: anything under __MACOSX/, AppleDouble "._x" files and
 * folder-metadata files (.DS_Store, Thumbs.db, desktop.ini). Importers drop them silently.
 */
export function isJunkPath(path: string): boolean {
  const parts = path.split('/');
  if (parts.some((p) => p === '__MACOSX')) return true;
  const name = parts[parts.length - 1] ?? '';
  return name.startsWith('._') || JUNK_NAMES.has(name.toLowerCase());
}

/** Compares strings with embedded numbers numerically ("data_batch_2" < "data_batch_10"). */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const isNum = /^\d/.test(x) && /^\d/.test(y);
    if (isNum) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Formats a byte count for messages: 1536 → "1.5 KB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

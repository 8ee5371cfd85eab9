/**
 * Turns what the user picked or dropped into ImportFiles with relative paths: plain file inputs
 * (name), folder inputs (webkitRelativePath, "pets/cat/001.png") and drag-and-drop of files and
 * folders (walked recursively through the FileSystem entry API, Chrome/Edge/Firefox/Safari).
 * Must not import: zustand, recharts, tfjs.
 */
import type { ImportFile } from '../../../worker/datasetProtocol';

/** Files of an <input type="file">, with their folder-relative path when the input picks folders. */
export function filesFromInput(list: FileList | null): ImportFile[] {
  return Array.from(list ?? [], (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

const fileOf = (entry: FileSystemFileEntry): Promise<File> => new Promise((resolve, reject) => entry.file(resolve, reject));

/** Every entry of a directory (readEntries returns them in batches until an empty one). */
async function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const out: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return out;
    out.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, out: ImportFile[], unreadable: string[]): Promise<void> {
  const path = entry.fullPath.replace(/^\/+/, '') || entry.name;
  try {
    if (entry.isFile) out.push({ path, file: await fileOf(entry as FileSystemFileEntry) });
    else if (entry.isDirectory) for (const child of await readAllEntries(entry as FileSystemDirectoryEntry)) await walk(child, out, unreadable);
  } catch {
    unreadable.push(path);
  }
}

/**
 * The files of a drop, folders walked recursively. Must be called synchronously inside the drop
 * event (the entries are only available there); the walk itself is asynchronous. `unreadable`
 * lists paths the browser refused to open.
 */
export function filesFromDrop(dt: DataTransfer): Promise<{ files: ImportFile[]; unreadable: string[] }> {
  const entries = Array.from(dt.items, (item) => (item.kind === 'file' ? item.webkitGetAsEntry?.() ?? null : null)).filter((e): e is FileSystemEntry => e !== null);
  const plain = Array.from(dt.files);
  return (async () => {
    if (entries.length === 0) return { files: plain.map((file) => ({ path: file.name, file })), unreadable: [] };
    const files: ImportFile[] = [];
    const unreadable: string[] = [];
    for (const e of entries) await walk(e, files, unreadable);
    return { files, unreadable };
  })();
}

/**
 * Browser downloads: hands a Blob or text to the browser as a file (an `<a download>` click on
 * an object URL, released right after).
 * Must not import: React, zustand, recharts, tfjs.
 */

/** Starts a download of `blob` named `fileName`. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The click has queued the download; revoking on the next task is safe in every browser.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Starts a download of `text` with the MIME type `type`. */
export function downloadText(text: string, fileName: string, type: string): void {
  downloadBlob(new Blob([text], { type }), fileName);
}

/**
 * useDownloads: hands the files of each finished export to the browser's download (an object URL
 * on a temporary link), then takes them out of the store so the bytes can be freed.
 * Must not import: zustand, recharts, tfjs.
 */
import { useEffect } from 'react';
import { useAppStore, useAppStoreApi } from '../../store/useAppStore';

/** Starts the download of every queued export. */
export function useDownloads(): void {
  const store = useAppStoreApi();
  const downloads = useAppStore((s) => s.downloads);
  useEffect(() => {
    for (const d of downloads) {
      for (const f of d.files) {
        const url = URL.createObjectURL(new Blob([f.bytes], { type: f.mimeType }));
        const a = document.createElement('a');
        a.href = url;
        a.download = f.name;
        a.style.display = 'none';
        document.body.appendChild(a);
        a.click();
        a.remove();
        // The download has its own reference once started; free ours a little later.
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      }
      store.getState().takeDownload(d.seq);
    }
  }, [downloads, store]);
}

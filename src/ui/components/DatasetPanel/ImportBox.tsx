/**
 * ImportBox: the ways in — "Choose files" (CIFAR .tar.gz/.bin, IDX .gz/raw, a .zip, images),
 * "Choose folder" (sub-folders are class labels) and a drop zone for files and folders — plus the
 * progress bar of the import under way. Decoding happens in the dataset worker.
 * Must not import: zustand, recharts, tfjs.
 */
import { useRef, useState, type DragEvent, type InputHTMLAttributes } from 'react';
import type { ImportFile } from '../../../worker/datasetProtocol';
import type { DatasetImportProgress } from '../../store/datasetSlice';
import { filesFromDrop, filesFromInput } from './pickedFiles';
import styles from './DatasetPanel.module.css';

/** Props of ImportBox. */
export interface ImportBoxProps {
  progress: DatasetImportProgress | null;
  imageSize: number;
  onImport: (files: ImportFile[]) => void;
}

// React has no typed prop for the folder picker; the attribute is what browsers read.
const FOLDER_ATTRS = { webkitdirectory: '', directory: '' } as InputHTMLAttributes<HTMLInputElement>;

/** File, folder and drop inputs with the import's progress. */
export function ImportBox({ progress, imageSize, onImport }: ImportBoxProps) {
  const [isOver, setIsOver] = useState(false);
  const [dropNote, setDropNote] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);
  const isBusy = progress !== null;

  const take = (files: ImportFile[], input: HTMLInputElement | null) => {
    if (input) {
      input.value = ''; // the same files can be chosen again
      setDropNote(null); // an old drop's note must not sit next to this import's report
    }
    if (files.length > 0) onImport(files);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setIsOver(false);
    if (isBusy) return;
    filesFromDrop(e.dataTransfer).then(({ files, unreadable }) => {
      setDropNote(unreadable.length > 0 ? `The browser did not let the page read ${unreadable.length} dropped item(s): ${unreadable.slice(0, 5).join(', ')}${unreadable.length > 5 ? ', …' : ''}.` : null);
      if (files.length === 0 && unreadable.length === 0) setDropNote('The drop held no files.');
      take(files, null);
    }, (err: unknown) => setDropNote(`The dropped items could not be read: ${err instanceof Error ? err.message : String(err)}`));
  };

  return (
    <div className={styles.importBox}>
      <div
        className={`${styles.dropZone} ${isOver ? styles.dropOver : ''}`}
        data-testid="dataset-dropzone"
        onDragOver={(e) => { e.preventDefault(); if (!isBusy) setIsOver(true); }}
        onDragLeave={() => setIsOver(false)}
        onDrop={onDrop}
      >
        <p className={styles.dropText}>
          Drop dataset files or a folder of images here, or
        </p>
        <div className={styles.buttons}>
          <button type="button" disabled={isBusy} onClick={() => fileRef.current?.click()}>Choose files…</button>
          <button type="button" disabled={isBusy} onClick={() => folderRef.current?.click()}>Choose folder…</button>
        </div>
        <p className={styles.formats}>
          CIFAR-10/100 binary (.tar.gz or .bin) · MNIST / Fashion-MNIST IDX (.gz or raw) · a folder or .zip of
          JPEG / PNG / WebP images, one sub-folder per class (no sub-folders: unlabelled). Images are stored at{' '}
          {imageSize}×{imageSize} (the view size), in this browser only.
        </p>
        <input ref={fileRef} className={styles.hidden} type="file" multiple disabled={isBusy} data-testid="dataset-file-input"
          onChange={(e) => take(filesFromInput(e.currentTarget.files), e.currentTarget)} />
        <input ref={folderRef} className={styles.hidden} type="file" multiple disabled={isBusy} data-testid="dataset-folder-input" {...FOLDER_ATTRS}
          onChange={(e) => take(filesFromInput(e.currentTarget.files), e.currentTarget)} />
      </div>
      {dropNote ? <p className={styles.note} role="status">{dropNote}</p> : null}
      {progress ? (
        <div className={styles.progress} data-testid="dataset-progress">
          <div className={styles.progressText}>
            <span>Importing {progress.source}: {progress.stage}</span>
            <span className="mono">{Math.round(100 * progress.fraction)} %</span>
          </div>
          <div className={styles.bar} role="progressbar" aria-label={`Import: ${progress.stage}`}
            aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(100 * progress.fraction)}>
            <div className={styles.barFill} style={{ width: `${100 * progress.fraction}%` }} />
          </div>
        </div>
      ) : null}
    </div>
  );
}

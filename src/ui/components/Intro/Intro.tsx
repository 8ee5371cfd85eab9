/**
 * Intro: the short, dismissable introduction at the top of the page — what HVP does in three
 * sentences, one picture of views with the chosen pair, the paper (title, authors, arXiv link), and
 * the one-click quick demo. Hidden, it leaves a one-line "What is Hard View Pretraining?" link; the
 * choice is remembered in localStorage.
 * Must not import: zustand, recharts, tfjs.
 */
import { useState } from 'react';
import { useQuickDemo } from '../../hooks/useQuickDemo';
import { useAppStore } from '../../store/useAppStore';
import { IntroPicture } from './IntroPicture';
import styles from './Intro.module.css';

const STORAGE_KEY = 'hvp-playground:intro-hidden';
export const PAPER_URL = 'https://arxiv.org/abs/2310.03940';

function readHidden(): boolean {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === '1';
  } catch {
    return false; // storage blocked: show it
  }
}

function writeHidden(isHidden: boolean): void {
  try {
    if (isHidden) globalThis.localStorage?.setItem(STORAGE_KEY, '1');
    else globalThis.localStorage?.removeItem(STORAGE_KEY);
  } catch {
    // storage blocked: the choice lasts until the page reloads
  }
}

/** Props of Intro. */
export interface IntroProps {
  /** Early stop from `?maxSteps=`, passed to the quick demo's Start. */
  maxSteps: number | null;
}

/** The introduction, or the link that brings it back. */
export function Intro({ maxSteps }: IntroProps) {
  const [isHidden, setHidden] = useState(readHidden);
  const demo = useQuickDemo(maxSteps);
  const isSoftware = useAppStore((s) => s.backend?.isSoftware ?? false);
  const hide = (value: boolean) => {
    setHidden(value);
    writeHidden(value);
  };

  if (isHidden) {
    return (
      <p className={styles.reopen}>
        <button type="button" className={styles.link} data-testid="intro-show" onClick={() => hide(false)}>What is Hard View Pretraining?</button>
      </p>
    );
  }
  return (
    <section className={styles.intro} aria-label="Introduction" data-testid="intro">
      <IntroPicture />
      <div className={styles.text}>
        <h2 className={styles.heading}>Hard View Pretraining, trained live in your browser</h2>
        <p>
          Self-supervised learning teaches an image model without labels: it makes two random views of an image (crops,
          colour changes) and trains the model to give them the same features. <b>HVP</b> samples <i>N</i> views per image
          instead of two, scores every pair with the current model, and trains on the pair with the highest loss — the
          hardest one. In the paper this raised linear-probe accuracy on ImageNet by about one point for SimSiam, SimCLR,
          DINO and iBOT, and the pairs it picks tend to overlap less.
        </p>
        <p className={styles.paper}>
          Ferreira, Rapant, Franke, Hutter: <a href={PAPER_URL} target="_blank" rel="noreferrer">Beyond Random Augmentations:
          Pretraining with Hard Views</a> (arXiv 2310.03940).
        </p>
        <div className={styles.actions}>
          <button type="button" className="action-primary" data-testid="intro-quick-demo" disabled={!demo.canRun} onClick={demo.run}
            title={isSoftware ? 'Loads the quick demo settings on the wasm engine (faster than this software GPU) and starts.' : 'Loads the quick demo settings and starts.'}>
            ▶ Run the quick demo (about a minute)
          </button>
          <span className={styles.hint}>Then watch the IoU panel: the chosen pair’s IoU falls below the mean and its hit rate rises above chance.</span>
          <button type="button" className={styles.hide} data-testid="intro-hide" onClick={() => hide(true)}>Hide</button>
        </div>
      </div>
    </section>
  );
}

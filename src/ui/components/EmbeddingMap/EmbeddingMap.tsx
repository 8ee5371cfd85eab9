/**
 * EmbeddingMap: the held-out embeddings of the newest evaluation projected on their top-2
 * principal components, an SVG scatter coloured by class (one colour for unlabelled sets), with
 * small thumbnails of the first held-out images drawn at their points.
 * Must not import: zustand, recharts, tfjs.
 */
import { useMemo } from 'react';
import type { Thumbnails } from '../../../core/eval/evaluationMetrics';
import { classColor, layoutPcaPoints } from '../../store/evaluationSelectors';
import { knnScheduleText, selectShownConfig } from '../../store/selectors';
import { useAppStore } from '../../store/useAppStore';
import { InfoTip } from '../InfoTip/InfoTip';
import { Panel } from '../Panel/Panel';
import parts from '../Panel/ChartParts.module.css';
import styles from './EmbeddingMap.module.css';

const WIDTH = 420;
const HEIGHT = 320;
const PAD = 14;
/** Thumbnail side on the map, px. */
const THUMB = 18;

const TIP =
  'PCA of the L2-normalised held-out embeddings (centred): each point is one held-out image placed on the two directions of largest variance, ' +
  'computed in the worker at every evaluation. Clusters by colour mean the backbone separates the classes; one tight blob means collapse. ' +
  'The thumbnails show the first held-out images at their points.';

/** PNG data URLs of the thumbnails (uint8 RGB → canvas), one per image. */
function thumbnailUrls(t: Thumbnails): string[] {
  const canvas = document.createElement('canvas');
  canvas.width = t.size;
  canvas.height = t.size;
  const ctx = canvas.getContext('2d');
  if (!ctx) return [];
  const px = t.size * t.size;
  const urls: string[] = [];
  for (let m = 0; m < t.count; m++) {
    const rgba = new Uint8ClampedArray(px * 4);
    for (let i = 0; i < px; i++) {
      rgba[4 * i] = t.pixels[(m * px + i) * 3]!;
      rgba[4 * i + 1] = t.pixels[(m * px + i) * 3 + 1]!;
      rgba[4 * i + 2] = t.pixels[(m * px + i) * 3 + 2]!;
      rgba[4 * i + 3] = 255;
    }
    ctx.putImageData(new ImageData(rgba, t.size, t.size), 0, 0);
    urls.push(canvas.toDataURL());
  }
  return urls;
}

/** The live 2-D PCA map. */
export function EmbeddingMap() {
  const pca = useAppStore((s) => s.pcaMap);
  const thumbnails = useAppStore((s) => s.thumbnails);
  const knnEvery = useAppStore((s) => selectShownConfig(s).knnEvery);
  const totalSteps = useAppStore((s) => selectShownConfig(s).totalSteps);
  const points = useMemo(() => (pca ? layoutPcaPoints(pca.map, WIDTH, HEIGHT, PAD + THUMB / 2) : []), [pca]);
  const urls = useMemo(() => (thumbnails ? thumbnailUrls(thumbnails) : []), [thumbnails]);
  const classes = useMemo(() => [...new Set(points.map((p) => p.label))].sort((a, b) => a - b), [points]);

  const aside = pca ? (
    <div className={parts.latest}>
      <span className={parts.unit}>step {pca.step} · PC1 {(100 * pca.map.explained[0]).toFixed(0)} % · PC2 {(100 * pca.map.explained[1]).toFixed(0)} % of variance</span>
    </div>
  ) : undefined;

  return (
    <Panel title="Embedding map (PCA)" testId="panel-embedding-map" numPoints={points.length} aside={aside}
      caption={<>Held-out embeddings on their top-2 principal components, coloured by class. <InfoTip label="the embedding map" text={TIP} /></>}>
      {!pca ? (
        <p className={`${parts.empty} ${styles.empty}`}>{knnScheduleText({ knnEvery, totalSteps }, false)}</p>
      ) : (
        <>
          <svg className={styles.map} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`PCA map of ${points.length} held-out embeddings at step ${pca.step}`} data-testid="embedding-map-svg">
            <rect x={0} y={0} width={WIDTH} height={HEIGHT} fill="#fbfcfd" />
            {points.map((p) => (
              <circle key={p.idx} cx={p.x} cy={p.y} r={3} fill={classColor(p.label)} fillOpacity={0.8} data-testid="embedding-point">
                <title>{`held-out image ${p.idx}${p.label >= 0 ? `, ${pca.map.classNames?.[p.label] || `class ${p.label}`}` : ''}`}</title>
              </circle>
            ))}
            {points.slice(0, urls.length).map((p) => (
              <image key={`t${p.idx}`} href={urls[p.idx]} x={p.x - THUMB / 2} y={p.y - THUMB / 2} width={THUMB} height={THUMB}
                className={styles.thumb} style={{ outlineColor: classColor(p.label) }} data-testid="embedding-thumb" />
            ))}
          </svg>
          {classes.length > 1 || (classes[0] ?? -1) >= 0 ? (
            <ul className={styles.legend}>
              {classes.map((c) => (
                <li key={c}><span className={styles.swatch} style={{ background: classColor(c) }} />{c >= 0 ? (pca.map.classNames?.[c] || `class ${c}`) : 'unlabelled'}</li>
              ))}
            </ul>
          ) : null}
        </>
      )}
    </Panel>
  );
}

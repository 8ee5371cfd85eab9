/**
 * IntroPicture: a drawn illustration (not a result) of one HVP step: an image with four crops, the
 * matrix of pair losses, and the chosen pair — the one with the highest loss, here the two crops
 * that overlap least — outlined.
 * Must not import: zustand, recharts, tfjs.
 */
import styles from './Intro.module.css';

/** Crop boxes on a 100×100 image: x, y, size; colours as the gallery's views. */
const VIEWS = [
  { name: 'v1', x: 6, y: 8, s: 54, color: '#1f54c4' },
  { name: 'v2', x: 20, y: 22, s: 60, color: '#2f9e44' },
  { name: 'v3', x: 48, y: 44, s: 48, color: '#d4380d' },
  { name: 'v4', x: 30, y: 12, s: 56, color: '#7048e8' },
] as const;
/** Illustrative pair losses (upper triangle, row-major: 12 13 14 23 24 34); v1–v3 is the highest. */
const LOSSES = [0.35, 0.92, 0.41, 0.62, 0.28, 0.55];
const CHOSEN = [0, 2] as const;

export function IntroPicture() {
  const cell = 18;
  let p = 0;
  const cells = [];
  for (let i = 0; i < 4; i++) {
    for (let j = i + 1; j < 4; j++) {
      const loss = LOSSES[p++]!;
      const isChosen = i === CHOSEN[0] && j === CHOSEN[1];
      cells.push(
        <rect key={`${i}${j}`} x={140 + j * cell} y={14 + i * cell} width={cell - 2} height={cell - 2}
          fill={`rgba(179, 38, 30, ${0.15 + 0.85 * loss})`} stroke={isChosen ? '#111' : 'none'} strokeWidth={isChosen ? 2.5 : 0} />,
      );
    }
  }
  return (
    <svg className={styles.picture} viewBox="0 0 230 118" role="img"
      aria-label="Illustration: four crops of one image; the pair v1–v3, which overlaps least and has the highest loss, is chosen">
      <rect x="0" y="4" width="110" height="110" fill="#eef2f6" stroke="#aeb7c2" />
      <circle cx="40" cy="44" r="20" fill="#f0a030" />
      <polygon points="70,96 96,96 83,70" fill="#3b8fd0" />
      {VIEWS.map((v, k) => {
        const isChosen = k === CHOSEN[0] || k === CHOSEN[1];
        return (
          <g key={v.name}>
            <rect x={5 + v.x} y={9 + v.y * 0.95} width={v.s} height={v.s} fill="none" stroke={v.color}
              strokeWidth={isChosen ? 2.6 : 1.2} strokeDasharray={isChosen ? undefined : '3 2'} />
            <text x={7 + v.x} y={19 + v.y * 0.95} fontSize="9" fill={v.color} fontWeight={isChosen ? 700 : 400}>{v.name}</text>
          </g>
        );
      })}
      {['v1', 'v2', 'v3', 'v4'].map((n, k) => (
        <text key={`c${n}`} x={140 + k * cell + 2} y={10} fontSize="7.5" fill="#5a6472">{n}</text>
      ))}
      {['v1', 'v2', 'v3', 'v4'].map((n, k) => (
        <text key={`r${n}`} x={124} y={26 + k * cell} fontSize="7.5" fill="#5a6472">{n}</text>
      ))}
      {cells}
      <text x="124" y="100" fontSize="8" fill="#1b2129">loss of every pair;</text>
      <text x="124" y="111" fontSize="8" fill="#1b2129" fontWeight="700">train on the highest</text>
    </svg>
  );
}

/**
 * ShareBars: a thin recharts wrapper drawing one horizontal bar pair per feature — a measured share
 * with its ±SD as an error bar, beside a reference share (e.g. the HVP paper's Fig. 8) — on a
 * percentage axis with round ticks (../niceTicks.ts). Animations are off.
 * `ui/charts/` is the only place that imports recharts.
 * Must not import: zustand, tfjs.
 */
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { formatTick, niceScale } from '../niceTicks';
import styles from './ShareBars.module.css';

/** One feature: its label, measured share (a fraction) with SD, and the reference share. */
export interface ShareBarsRow {
  label: string;
  share: number;
  shareSd: number;
  reference: number;
}

/** Props of ShareBars. */
export interface ShareBarsProps {
  rows: readonly ShareBarsRow[];
  /** Legend names of the two bars. */
  shareLabel: string;
  referenceLabel: string;
  /** X axis title. */
  xLabel: string;
  /** Accessible description of the chart. */
  ariaLabel: string;
  testId?: string;
}

const SHARE_COLOR = '#c2410c';
const REFERENCE_COLOR = '#94a3b8';

/** Grouped horizontal bars of shares (measured ± SD vs reference) per feature. */
export function ShareBars({ rows, shareLabel, referenceLabel, xLabel, ariaLabel, testId }: ShareBarsProps) {
  let top = 0;
  for (const r of rows) top = Math.max(top, r.share + r.shareSd, r.reference);
  const scale = niceScale(0, 100 * top, { fixed: [0, 'auto'], limits: [0, 100], maxIntervals: 5 });
  const height = 40 + 34 * rows.length;
  // The error bar's low end stops at 0 (a share is never negative), so the axis starts at 0.
  const data = rows.map((r) => ({ ...r, shareErr: [Math.min(r.shareSd, Math.max(0, r.share)), r.shareSd] }));
  return (
    <div className={styles.wrap} role="img" aria-label={ariaLabel} data-testid={testId} data-features={rows.length}>
      <BarChart
        responsive
        layout="vertical"
        style={{ width: '100%', height }}
        data={data}
        margin={{ top: 4, right: 16, bottom: 16, left: 4 }}
        barCategoryGap="18%"
        barGap={1}
      >
        <CartesianGrid stroke="#e6e9ee" strokeDasharray="3 3" horizontal={false} />
        <XAxis
          type="number"
          domain={[0, scale.domain[1] / 100]}
          ticks={scale.ticks.map((t) => t / 100)}
          interval={0}
          tick={{ fontSize: 10 }}
          tickFormatter={(v: number) => `${formatTick(100 * v, scale.step)}%`}
          label={{ value: xLabel, position: 'insideBottom', offset: -10, fontSize: 11, fill: '#5a6472' }}
        />
        <YAxis type="category" dataKey="label" width={124} tick={{ fontSize: 11.5 }} interval={0} />
        <Tooltip
          isAnimationActive={false}
          formatter={(value, name, item) => {
            const v = typeof value === 'number' ? `${(100 * value).toFixed(1)} %` : String(value ?? '—');
            const sd = (item?.payload as ShareBarsRow | undefined)?.shareSd;
            return name === shareLabel && sd !== undefined ? `${v} ± ${(100 * sd).toFixed(1)}` : v;
          }}
          contentStyle={{ fontSize: 12, padding: '4px 8px' }}
        />
        <Legend wrapperStyle={{ fontSize: 11.5 }} verticalAlign="top" height={22} itemSorter={null} />
        <Bar dataKey="share" name={shareLabel} fill={SHARE_COLOR} isAnimationActive={false}>
          <ErrorBar dataKey="shareErr" direction="x" width={5} strokeWidth={1.2} stroke="#431407" isAnimationActive={false} />
        </Bar>
        <Bar dataKey="reference" name={referenceLabel} fill={REFERENCE_COLOR} isAnimationActive={false} />
      </BarChart>
    </div>
  );
}

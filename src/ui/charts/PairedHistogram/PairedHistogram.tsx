/**
 * PairedHistogram: a thin recharts wrapper drawing two histograms over the same bins side by side
 * (e.g. selected pairs vs all pairs), as grouped bars of per-bin fractions. Animations are off so it
 * re-renders cheaply on every metrics message. The percentage axis has round ticks (../niceTicks.ts).
 * `ui/charts/` is the only place that imports recharts.
 * Must not import: zustand, tfjs.
 */
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { formatTick, niceScale } from '../niceTicks';
import styles from './PairedHistogram.module.css';

/** One bar of each bin group. */
export interface HistogramSide {
  /** Row field holding the bin's fraction in [0, 1]. */
  key: string;
  /** Legend and tooltip name. */
  label: string;
  color: string;
}

/** Props of PairedHistogram. */
export interface PairedHistogramProps {
  /** One row per bin, in bin order: a `bin` label field and one fraction field per side. */
  data: readonly object[];
  sides: readonly [HistogramSide, HistogramSide];
  /** X axis title (what is binned). */
  xLabel: string;
  /** Chart height in px (default 170). */
  height?: number;
  /** Accessible description of the chart. */
  ariaLabel: string;
  /** `data-testid` of the chart box. */
  testId?: string;
}

/** Grouped bars of two per-bin fraction series over labelled bins. */
export function PairedHistogram({ data, sides, xLabel, height = 170, ariaLabel, testId }: PairedHistogramProps) {
  let top = 0;
  for (const row of data) for (const s of sides) top = Math.max(top, Number((row as Record<string, unknown>)[s.key]) || 0);
  // Ticks in percent (round there), plotted on the fractions.
  const scale = niceScale(0, 100 * top, { fixed: [0, 'auto'], limits: [0, 100], maxIntervals: 4 });
  return (
    <div className={styles.wrap} role="img" aria-label={ariaLabel} data-testid={testId} data-bins={data.length}>
      <BarChart
        responsive
        style={{ width: '100%', height }}
        data={data as object[]}
        margin={{ top: 4, right: 8, bottom: 14, left: 0 }}
        barCategoryGap="14%"
        barGap={1}
      >
        <CartesianGrid stroke="#e6e9ee" strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="bin"
          tick={{ fontSize: 9.5 }}
          interval="preserveStartEnd"
          label={{ value: xLabel, position: 'insideBottom', offset: -10, fontSize: 11, fill: '#5a6472' }}
        />
        <YAxis
          type="number"
          tick={{ fontSize: 10 }}
          domain={[0, scale.domain[1] / 100]}
          ticks={scale.ticks.map((t) => t / 100)}
          interval={0}
          tickFormatter={(v: number) => `${formatTick(100 * v, scale.step)}%`}
          width={36}
        />
        <Tooltip
          isAnimationActive={false}
          formatter={(value) => (typeof value === 'number' ? `${(100 * value).toFixed(1)} %` : String(value ?? '—'))}
          contentStyle={{ fontSize: 12, padding: '4px 8px' }}
        />
        <Legend wrapperStyle={{ fontSize: 11.5 }} verticalAlign="top" height={20} itemSorter={null} />
        {sides.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} isAnimationActive={false} />
        ))}
      </BarChart>
    </div>
  );
}

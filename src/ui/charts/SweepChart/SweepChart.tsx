/**
 * SweepChart: a recharts wrapper for "metric vs a swept setting" (the Sweeps panel, the paper's
 * Fig. 4 and Fig. 7): one line per series through its points, each point a dot at the mean with a
 * vertical error bar from `low` to `high` (the panel passes min–max over seeds). The x axis is
 * numeric with round ticks (../niceTicks.ts) when every x is a number, else one category per value.
 * Animations are off. `ui/charts/` is the only place that imports recharts.
 * Must not import: zustand, tfjs.
 */
import { CartesianGrid, ErrorBar, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatTick, niceScale } from '../niceTicks';
import styles from './SweepChart.module.css';

/** One point in shown units: the dot at `y`, the bar from `low` to `high`. */
export interface SweepChartPoint {
  x: number | string | boolean;
  y: number;
  low: number;
  high: number;
  /** Tooltip text for this point (e.g. "71.2 % (min 70.1 – max 72.0, 3 seeds)"). */
  text: string;
}

/** One plotted series. */
export interface SweepChartSeries {
  /** Identifier (letters and digits), unique in the chart. */
  key: string;
  label: string;
  color: string;
  isDashed?: boolean;
  points: readonly SweepChartPoint[];
}

/** Props of SweepChart. */
export interface SweepChartProps {
  series: readonly SweepChartSeries[];
  /** The x values in axis order (every point's x is one of them). */
  xValues: readonly (number | string | boolean)[];
  xLabel: string;
  yLabel: string;
  /** Limits the auto y ends never pass (e.g. [0, 100] for a percentage). */
  yLimits?: [number, number];
  /** Chart height in px (default 260). */
  height?: number;
  ariaLabel: string;
}

const TICK = { fontSize: 11 };
const AXIS_TITLE = { fontSize: 11, fill: '#5a6472' };

/** A responsive chart of points with error bars vs a swept setting. */
export function SweepChart({ series, xValues, xLabel, yLabel, yLimits, height = 260, ariaLabel }: SweepChartProps) {
  const isNumeric = xValues.every((v) => typeof v === 'number');
  const xKeyOf = (v: number | string | boolean): number | string => (isNumeric ? (v as number) : String(v));
  // One row per x value; per series its mean, its [below, above] error and its tooltip text.
  const rows = xValues.map((x) => {
    const row: Record<string, unknown> = { x: xKeyOf(x) };
    for (const s of series) {
      const p = s.points.find((q) => q.x === x);
      if (!p) continue;
      row[s.key] = p.y;
      row[`${s.key}Err`] = [p.y - p.low, p.high - p.y];
      row[`${s.key}Text`] = p.text;
    }
    return row;
  });
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) for (const p of s.points) [lo, hi] = [Math.min(lo, p.low), Math.max(hi, p.high)];
  const yScale = niceScale(lo, hi, { limits: yLimits, maxIntervals: Math.max(3, Math.floor((height - 60) / 32)) });
  const xScale = isNumeric ? niceScale(Math.min(...(xValues as number[])), Math.max(...(xValues as number[])), { maxIntervals: 6 }) : null;

  return (
    <div className={styles.wrap} role="img" aria-label={ariaLabel} data-series={series.length}>
      <LineChart responsive style={{ width: '100%', height }} data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="#e6e9ee" strokeDasharray="3 3" />
        {xScale ? (
          <XAxis dataKey="x" type="number" domain={xScale.domain} ticks={xScale.ticks} interval={0} tick={TICK}
            tickFormatter={(v: number) => formatTick(v, xScale.step)} label={{ value: xLabel, position: 'insideBottomRight', offset: -2, ...AXIS_TITLE }} />
        ) : (
          <XAxis dataKey="x" type="category" tick={TICK} label={{ value: xLabel, position: 'insideBottomRight', offset: -2, ...AXIS_TITLE }} />
        )}
        <YAxis type="number" domain={yScale.domain} ticks={yScale.ticks} interval={0} tick={TICK} width={58}
          tickFormatter={(v: number) => formatTick(v, yScale.step)}
          label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 10, ...AXIS_TITLE }} />
        <Tooltip
          isAnimationActive={false}
          formatter={(value, _name, item) => {
            const text = (item.payload as Record<string, unknown> | undefined)?.[`${String(item.dataKey)}Text`];
            return typeof text === 'string' ? text : String(value ?? '—');
          }}
          labelFormatter={(label) => `${xLabel} = ${String(label)}`}
          contentStyle={{ fontSize: 12, padding: '4px 8px' }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} iconType="plainline" itemSorter={(item) => series.findIndex((s) => s.key === item.dataKey)} />
        {series.map((s) => (
          <Line key={s.key} dataKey={s.key} name={s.label} type="linear" stroke={s.color} strokeWidth={2}
            strokeDasharray={s.isDashed ? '5 3' : undefined} dot={{ r: 3.5, fill: s.color }} activeDot={{ r: 4.5 }}
            connectNulls isAnimationActive={false}>
            <ErrorBar dataKey={`${s.key}Err`} width={6} strokeWidth={1.5} stroke={s.color} direction="y" isAnimationActive={false} />
          </Line>
        ))}
      </LineChart>
    </div>
  );
}

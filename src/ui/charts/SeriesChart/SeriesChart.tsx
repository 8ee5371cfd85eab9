/**
 * SeriesChart: a thin recharts wrapper for "metric vs step" line charts. Animations and dots
 * are off so a chart with thousands of points re-renders cheaply on every metrics message.
 * `ui/charts/` is the only place that imports recharts.
 * Must not import: zustand, tfjs.
 */
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import styles from './SeriesChart.module.css';

/** One plotted line. */
export interface SeriesSpec {
  /** Row field holding the y value (number, or null for a gap). */
  key: string;
  /** Legend and tooltip name. */
  label: string;
  color: string;
  isDashed?: boolean;
  /** Line width in px (default 1.6). */
  width?: number;
  /** Draw a dot at every point (for sparse series such as periodic evaluations). */
  hasDots?: boolean;
}

/** A horizontal reference line (e.g. a chance level). */
export interface ReferenceSpec {
  y: number;
  label: string;
  color?: string;
}

/** Props of SeriesChart. */
export interface SeriesChartProps {
  /** Rows with a numeric `step` field and one field per series. */
  data: readonly object[];
  series: readonly SeriesSpec[];
  /** Y axis range; 'auto' ends fit the data. */
  yDomain?: [number | 'auto', number | 'auto'];
  /** Formats y values on the axis and in the tooltip. */
  formatY?: (value: number) => string;
  references?: readonly ReferenceSpec[];
  /** Chart height in px (default 220). */
  height?: number;
  /** Accessible description of the chart. */
  ariaLabel: string;
  /** Step to mark with a vertical line (the step slider's viewing step), or null for none. */
  markerStep?: number | null;
}

const defaultFormat = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3));

/** A responsive multi-line chart over `step`. */
export function SeriesChart({ data, series, yDomain = ['auto', 'auto'], formatY = defaultFormat, references = [], height = 220, ariaLabel, markerStep = null }: SeriesChartProps) {
  return (
    <div className={styles.wrap} role="img" aria-label={ariaLabel}>
      <LineChart
        responsive
        style={{ width: '100%', height }}
        data={data as object[]}
        margin={{ top: 8, right: 16, bottom: 4, left: 0 }}
      >
        <CartesianGrid stroke="#e6e9ee" strokeDasharray="3 3" />
        <XAxis
          dataKey="step"
          type="number"
          domain={['dataMin', 'dataMax']}
          allowDecimals={false}
          tick={{ fontSize: 11 }}
          tickCount={6}
          label={{ value: 'step', position: 'insideBottomRight', offset: -2, fontSize: 11, fill: '#5a6472' }}
        />
        <YAxis domain={yDomain} tick={{ fontSize: 11 }} tickFormatter={formatY} width={48} allowDataOverflow={false} />
        <Tooltip
          isAnimationActive={false}
          formatter={(value) => (typeof value === 'number' ? formatY(value) : String(value ?? '—'))}
          labelFormatter={(label) => `step ${String(label)}`}
          contentStyle={{ fontSize: 12, padding: '4px 8px' }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} iconType="plainline" />
        {references.map((r) => (
          <ReferenceLine
            key={r.label}
            y={r.y}
            stroke={r.color ?? '#5a6472'}
            strokeDasharray="6 4"
            ifOverflow="extendDomain"
            label={{ value: r.label, position: 'insideTopLeft', fontSize: 11, fill: r.color ?? '#5a6472' }}
          />
        ))}
        {markerStep !== null ? (
          <ReferenceLine
            x={markerStep}
            stroke="#0b1f4d"
            strokeWidth={1.5}
            ifOverflow="hidden"
            label={{ value: `step ${markerStep}`, position: 'insideTopRight', fontSize: 11, fill: '#0b1f4d' }}
          />
        ) : null}
        {series.map((s) => (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.label}
            type="linear"
            stroke={s.color}
            strokeWidth={s.width ?? 1.6}
            strokeDasharray={s.isDashed ? '5 3' : undefined}
            dot={s.hasDots ? { r: 2.5, fill: s.color } : false}
            activeDot={{ r: 3 }}
            connectNulls
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </div>
  );
}

/**
 * SeriesChart: a thin recharts wrapper for "metric vs step" line charts. Animations and dots
 * are off so a chart with thousands of points re-renders cheaply on every metrics message.
 * Every axis has round ticks (1, 2, 5 × 10^k, ends snapped to a tick: ../niceTicks.ts); an
 * optional right axis carries series in another unit. Reference lines (e.g. a chance level) are
 * named in the legend, not on the plot, so no data line ever runs through their label.
 * `ui/charts/` is the only place that imports recharts.
 * Must not import: zustand, tfjs.
 */
import { CartesianGrid, DefaultLegendContent, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis, type LegendPayload } from 'recharts';
import { extendToIntervals, formatTick, niceScale, type NiceScale } from '../niceTicks';
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
  /** Plot against the right axis (SeriesChartProps.rightAxis). */
  isRightAxis?: boolean;
}

/** A horizontal reference line (e.g. a chance level); its label goes into the legend. */
export interface ReferenceSpec {
  y: number;
  label: string;
  color?: string;
  /** Measured on the right axis. */
  isRightAxis?: boolean;
}

/** A y axis: range, limits, title and value format. */
export interface AxisSpec {
  /** Fixed ends; 'auto' ends fit the data and the references, snapped out to a round tick. */
  domain?: [number | 'auto', number | 'auto'];
  /** Limits the auto ends never pass (e.g. [0, 100] for a percentage). */
  limits?: [number, number];
  /** Axis title (what and which unit), drawn along the axis. */
  label?: string;
  /** Formats values of this axis in the tooltip. */
  formatValue?: (value: number) => string;
}

/** Props of SeriesChart. */
export interface SeriesChartProps {
  /** Rows with a numeric `step` field and one field per series. */
  data: readonly object[];
  series: readonly SeriesSpec[];
  /** Left y axis range; 'auto' ends fit the data and snap to a round tick. */
  yDomain?: [number | 'auto', number | 'auto'];
  /** Limits the left axis's auto ends never pass. */
  yLimits?: [number, number];
  /** Left axis title. */
  yLabel?: string;
  /** Formats left-axis values in the tooltip (the axis itself prints round ticks). */
  formatY?: (value: number) => string;
  /** A right y axis for the series marked `isRightAxis`. */
  rightAxis?: AxisSpec;
  references?: readonly ReferenceSpec[];
  /** Chart height in px (default 220). */
  height?: number;
  /** Accessible description of the chart. */
  ariaLabel: string;
  /** Step to mark with a vertical line (the step slider's viewing step), or null for none. */
  markerStep?: number | null;
}

const defaultFormat = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3));
const TICK = { fontSize: 11 };

/** The props every axis shares: numeric, exactly the nice scale's domain and ticks, all labelled. */
const scaleProps = (scale: NiceScale) => ({
  type: 'number' as const,
  domain: scale.domain,
  ticks: scale.ticks,
  interval: 0,
  tick: TICK,
  tickFormatter: (v: number) => formatTick(v, scale.step),
});
const AXIS_TITLE = { fontSize: 11, fill: '#5a6472' };
const REFERENCE_DASH = '6 4';

/** Min and max of the finite numbers in `keys` of `rows` and in `extra`. */
function extentOf(rows: readonly object[], keys: readonly string[], extra: readonly number[] = []): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const take = (v: unknown) => {
    if (typeof v === 'number' && Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  };
  for (const row of rows) for (const k of keys) take((row as Record<string, unknown>)[k]);
  extra.forEach(take);
  return [lo, hi];
}

/** Round ticks of one y axis over its series and references. A reference line that would land on
 * an auto lower end, hidden under the x axis line, gets one more step of room below it. */
function yScale(data: readonly object[], series: readonly SeriesSpec[], refs: readonly ReferenceSpec[], axis: AxisSpec, maxIntervals: number): NiceScale {
  const [lo, hi] = extentOf(data, series.map((s) => s.key), refs.map((r) => r.y));
  const options = { fixed: axis.domain, limits: axis.limits, maxIntervals };
  const scale = niceScale(lo, hi, options);
  const isRefOnFloor = typeof axis.domain?.[0] !== 'number' && refs.some((r) => Math.abs(r.y - scale.domain[0]) <= 1e-9 * scale.step);
  return isRefOnFloor ? niceScale(lo - 1e-3 * scale.step, hi, options) : scale;
}

/** A responsive multi-line chart over `step`. */
export function SeriesChart({ data, series, yDomain = ['auto', 'auto'], yLimits, yLabel, formatY = defaultFormat, rightAxis, references = [], height = 220, ariaLabel, markerStep = null }: SeriesChartProps) {
  const left: AxisSpec = { domain: yDomain, limits: yLimits, label: yLabel, formatValue: formatY };
  const onRight = (s: { isRightAxis?: boolean }) => Boolean(rightAxis && s.isRightAxis);
  const xScale = niceScale(...extentOf(data, ['step']), { isInteger: true, maxIntervals: 6 });
  const leftScale = yScale(data, series.filter((s) => !onRight(s)), references.filter((r) => !onRight(r)), left, Math.max(3, Math.floor((height - 40) / 32)));
  // The right axis takes as many intervals as the left, so its ticks sit on the grid lines.
  const numLeftIntervals = Math.max(1, leftScale.ticks.length - 1);
  const rightScale = rightAxis
    ? extendToIntervals(yScale(data, series.filter(onRight), references.filter(onRight), rightAxis, numLeftIntervals), numLeftIntervals, rightAxis.limits?.[1])
    : null;
  const formatOf = new Map(series.map((s) => [s.key, (onRight(s) ? rightAxis?.formatValue : undefined) ?? formatY]));
  const legendExtra: LegendPayload[] = references.map((r) => ({ value: r.label, type: 'plainline', color: r.color ?? '#5a6472', payload: { strokeDasharray: REFERENCE_DASH } }));
  const isMarkerLeft = markerStep !== null && markerStep < (xScale.domain[0] + xScale.domain[1]) / 2;

  return (
    <div className={styles.wrap} role="img" aria-label={ariaLabel}>
      <LineChart
        responsive
        style={{ width: '100%', height }}
        data={data as object[]}
        margin={{ top: 8, right: rightScale ? 0 : 16, bottom: 4, left: 0 }}
      >
        <CartesianGrid yAxisId="left" stroke="#e6e9ee" strokeDasharray="3 3" />
        <XAxis
          dataKey="step"
          {...scaleProps(xScale)}
          label={{ value: 'step', position: 'insideBottomRight', offset: -2, ...AXIS_TITLE }}
        />
        <YAxis
          yAxisId="left"
          {...scaleProps(leftScale)}
          width={yLabel ? 58 : 48}
          label={yLabel ? { value: yLabel, angle: -90, position: 'insideLeft', offset: 10, ...AXIS_TITLE } : undefined}
        />
        {rightAxis && rightScale ? (
          <YAxis
            yAxisId="right"
            orientation="right"
            {...scaleProps(rightScale)}
            width={rightAxis.label ? 58 : 48}
            label={rightAxis.label ? { value: rightAxis.label, angle: 90, position: 'insideRight', offset: 10, ...AXIS_TITLE } : undefined}
          />
        ) : null}
        <Tooltip
          isAnimationActive={false}
          formatter={(value, _name, item) => (typeof value === 'number' ? (formatOf.get(String(item.dataKey)) ?? formatY)(value) : String(value ?? '—'))}
          labelFormatter={(label) => `step ${String(label)}`}
          contentStyle={{ fontSize: 12, padding: '4px 8px' }}
        />
        <Legend
          wrapperStyle={{ fontSize: 12 }}
          iconType="plainline"
          content={(props) => <DefaultLegendContent {...props} payload={[...(props.payload ?? []), ...legendExtra]} />}
        />
        {references.map((r) => (
          <ReferenceLine
            key={r.label}
            y={r.y}
            yAxisId={onRight(r) ? 'right' : 'left'}
            stroke={r.color ?? '#5a6472'}
            strokeDasharray={REFERENCE_DASH}
            ifOverflow="hidden"
          />
        ))}
        {markerStep !== null ? (
          <ReferenceLine
            x={markerStep}
            stroke="#0b1f4d"
            strokeWidth={1.5}
            yAxisId="left"
            ifOverflow="hidden"
            label={{ value: `step ${markerStep}`, position: isMarkerLeft ? 'insideTopLeft' : 'insideTopRight', fontSize: 11, fill: '#0b1f4d' }}
          />
        ) : null}
        {series.map((s) => (
          <Line
            key={s.key}
            dataKey={s.key}
            yAxisId={onRight(s) ? 'right' : 'left'}
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

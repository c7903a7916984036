import type { AnalyticsReport } from '@rebound/core/client';
import { formatCount } from '../common/format';
import { ChartFrame } from './ChartFrame';
import { type ChartColors, useChartColors } from './chartColors';
import { countTicks, dayLabel, dayTickIndexes, linearScale } from './scales';

type Day = AnalyticsReport['overTime'][number];
type Scale = (value: number) => number;

const TITLE = 'Failures and recoveries over time';
const WIDTH = 640;
const HEIGHT = 300;
const MARGIN = { top: 40, right: 20, bottom: 48, left: 52 };

/** The three lines; dashes tell them apart without their colour. */
const SERIES = [
  { key: 'failures', label: 'Failures', one: 'failure', dash: undefined },
  {
    key: 'recoveries',
    label: 'Recovery attempts',
    one: 'recovery attempt',
    dash: '7 4',
  },
  {
    key: 'successes',
    label: 'Successful recoveries',
    one: 'successful recovery',
    dash: '2 3',
  },
] as const;

type Series = (typeof SERIES)[number];

function seriesColor(series: Series, colors: ChartColors): string {
  return colors[series.key];
}

function describe(days: Day[]): string {
  if (days.length === 0) {
    return 'No days in the period.';
  }
  const totals = SERIES.map(series => {
    const n = days.reduce((sum, d) => sum + d[series.key], 0);
    return `${formatCount(n)} ${
      n === 1 ? series.one : series.label.toLowerCase()
    }`;
  });
  return `From ${days[0].date} to ${days[days.length - 1].date}: ${totals.join(
    ', ',
  )}.`;
}

function Axes(props: {
  days: Day[];
  x: Scale;
  y: Scale;
  ticks: number[];
  colors: ChartColors;
}) {
  const { days, x, y, ticks, colors } = props;
  const dayTicks = dayTickIndexes(days.length, 6);
  const bottom = y(0);
  return (
    <g aria-hidden="true">
      {ticks.map(tick => (
        <g key={tick} data-count-tick={tick}>
          <line
            x1={MARGIN.left}
            x2={WIDTH - MARGIN.right}
            y1={y(tick)}
            y2={y(tick)}
            stroke={colors.grid}
          />
          <text
            x={MARGIN.left - 8}
            y={y(tick) + 4}
            textAnchor="end"
            fill={colors.muted}
          >
            {formatCount(tick)}
          </text>
        </g>
      ))}
      {dayTicks.map((index, n) => (
        <g key={days[index].date} data-day-tick={days[index].date}>
          <line
            x1={x(index)}
            x2={x(index)}
            y1={bottom}
            y2={bottom + 5}
            stroke={colors.muted}
          />
          <text
            x={x(index)}
            y={bottom + 18}
            textAnchor="middle"
            fill={colors.muted}
          >
            {dayLabel(
              days[index].date,
              n > 0 ? days[dayTicks[n - 1]].date : undefined,
            )}
          </text>
        </g>
      ))}
      <text
        x={(MARGIN.left + WIDTH - MARGIN.right) / 2}
        y={HEIGHT - 6}
        textAnchor="middle"
        fill={colors.text}
      >
        Day (UTC)
      </text>
      <text
        transform={`translate(14 ${(MARGIN.top + bottom) / 2}) rotate(-90)`}
        textAnchor="middle"
        fill={colors.text}
      >
        Count per day
      </text>
    </g>
  );
}

function Legend(props: { colors: ChartColors }) {
  const { colors } = props;
  const itemWidth = 170;
  return (
    <g aria-hidden="true">
      {SERIES.map((series, index) => {
        const left = MARGIN.left + index * itemWidth;
        return (
          <g key={series.key} data-legend={series.key}>
            <line
              x1={left}
              x2={left + 24}
              y1={16}
              y2={16}
              stroke={seriesColor(series, colors)}
              strokeWidth={2.5}
              strokeDasharray={series.dash}
            />
            <text x={left + 30} y={20} fill={colors.text}>
              {series.label}
            </text>
          </g>
        );
      })}
    </g>
  );
}

function Line(props: {
  series: Series;
  days: Day[];
  x: Scale;
  y: Scale;
  colors: ChartColors;
}) {
  const { series, days, x, y, colors } = props;
  const color = seriesColor(series, colors);
  const radius = days.length > 60 ? 1.5 : 3;
  const points = days.map((d, i) => `${x(i)},${y(d[series.key])}`).join(' ');
  return (
    <g data-series={series.key}>
      <polyline
        points={points}
        fill="none"
        stroke={color}
        strokeWidth={2}
        strokeDasharray={series.dash}
        strokeLinejoin="round"
      />
      {days.map((d, i) => (
        <circle
          key={d.date}
          cx={x(i)}
          cy={y(d[series.key])}
          r={radius}
          fill={color}
        >
          <title>{`${d.date}: ${formatCount(d[series.key])} ${
            d[series.key] === 1 ? series.one : series.label.toLowerCase()
          }`}</title>
        </circle>
      ))}
    </g>
  );
}

/**
 * Lines of the failures, finished recovery attempts and successful
 * recoveries of each day, with a point per day that names its count.
 */
export function OverTimeChart(props: { days: Day[] }) {
  const { days } = props;
  const colors = useChartColors();
  const max = Math.max(
    0,
    ...days.flatMap(d => [d.failures, d.recoveries, d.successes]),
  );
  const ticks = countTicks(max, 5);
  const x = linearScale(
    [0, Math.max(1, days.length - 1)],
    [MARGIN.left + 8, WIDTH - MARGIN.right - 8],
  );
  const y = linearScale(
    [0, ticks[ticks.length - 1]],
    [HEIGHT - MARGIN.bottom, MARGIN.top],
  );

  return (
    <ChartFrame
      title={TITLE}
      description={describe(days)}
      width={WIDTH}
      height={HEIGHT}
      fontSize={12}
    >
      <Axes days={days} x={x} y={y} ticks={ticks} colors={colors} />
      <Legend colors={colors} />
      {SERIES.map(series => (
        <Line
          key={series.key}
          series={series}
          days={days}
          x={x}
          y={y}
          colors={colors}
        />
      ))}
    </ChartFrame>
  );
}

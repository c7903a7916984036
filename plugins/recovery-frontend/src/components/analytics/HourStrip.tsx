import type { AnalyticsReport } from '@rebound/core/client';
import { formatCount } from '../common/format';
import { ChartFrame } from './ChartFrame';
import { useChartColors } from './chartColors';
import { bands, linearScale } from './scales';

type Hour = AnalyticsReport['failuresByHour'][number];

const TITLE = 'Failures by hour of the day (UTC)';
const WIDTH = 640;
const HEIGHT = 110;
const MARGIN = { top: 8, right: 8, bottom: 22, left: 8 };

const pad = (hour: number) => String(hour).padStart(2, '0');

/** The hour of a bar, e.g. "03:00–04:00". */
export function hourSpan(hour: number): string {
  return `${pad(hour)}:00–${pad((hour + 1) % 24)}:00`;
}

/** A strip of 24 small bars: when in the day the failures happen. */
export function HourStrip(props: { hours: Hour[] }) {
  const { hours } = props;
  const colors = useChartColors();
  const max = Math.max(1, ...hours.map(h => h.failures));
  const bottom = HEIGHT - MARGIN.bottom;
  const y = linearScale([0, max], [bottom, MARGIN.top]);
  const band = bands(hours.length, WIDTH - MARGIN.left - MARGIN.right, 0.2);
  const busiest = [...hours].sort((a, b) => b.failures - a.failures)[0];

  return (
    <ChartFrame
      title={TITLE}
      description={
        busiest && busiest.failures > 0
          ? `Most failures (${formatCount(
              busiest.failures,
            )}) between ${hourSpan(busiest.hour)} UTC.`
          : 'No failures in any hour.'
      }
      width={WIDTH}
      height={HEIGHT}
      fontSize={11}
    >
      <line
        x1={MARGIN.left}
        x2={WIDTH - MARGIN.right}
        y1={bottom}
        y2={bottom}
        stroke={colors.grid}
      />
      {hours.map((h, index) => {
        const left = MARGIN.left + band.start(index);
        return (
          <g key={h.hour}>
            <rect
              x={left}
              y={y(h.failures)}
              width={band.size}
              height={bottom - y(h.failures)}
              fill={colors.failures}
            >
              <title>{`${hourSpan(h.hour)} UTC: ${formatCount(h.failures)} ${
                h.failures === 1 ? 'failure' : 'failures'
              }`}</title>
            </rect>
            {h.hour % 3 === 0 && (
              <text
                x={left + band.size / 2}
                y={HEIGHT - 6}
                textAnchor="middle"
                fill={colors.muted}
              >
                {pad(h.hour)}h
              </text>
            )}
          </g>
        );
      })}
    </ChartFrame>
  );
}

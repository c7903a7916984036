import type { SuccessRate } from '@rebound/core/client';
import { formatCount, formatPercent, words } from '../common/format';
import { ChartFrame } from './ChartFrame';
import { type ChartColors, useChartColors } from './chartColors';
import { bands, linearScale, RATE_TICKS } from './scales';

/** The success rate recovery should reach; rates below it are marked. */
export const SUCCESS_GOAL = 0.85;

const TITLE = 'Success rate by failure type';
const WIDTH = 640;
const ROW = 40;
const MARGIN = { top: 40, right: 56, bottom: 48, left: 168 };

type Scale = (value: number) => number;

/** What a screen reader hears instead of the bars. */
function describe(rates: SuccessRate[]): string {
  const parts = rates.map(
    r =>
      `${words(r.key)} ${formatPercent(r.rate)} of ${formatCount(r.attempts)} ${
        r.attempts === 1 ? 'attempt' : 'attempts'
      }`,
  );
  const below = rates.filter(r => r.rate !== null && r.rate < SUCCESS_GOAL);
  return `${parts.join('; ')}. ${below.length} of ${
    rates.length
  } failure types below the ${formatPercent(SUCCESS_GOAL)} goal.`;
}

function RateAxis(props: {
  x: Scale;
  top: number;
  bottom: number;
  colors: ChartColors;
}) {
  const { x, top, bottom, colors } = props;
  return (
    <g aria-hidden="true">
      {RATE_TICKS.map(tick => (
        <g key={tick} data-tick={tick}>
          <line
            x1={x(tick)}
            x2={x(tick)}
            y1={top}
            y2={bottom}
            stroke={colors.grid}
          />
          <text
            x={x(tick)}
            y={bottom + 16}
            textAnchor="middle"
            fill={colors.muted}
          >
            {formatPercent(tick)}
          </text>
        </g>
      ))}
      <text
        x={(x(0) + x(1)) / 2}
        y={bottom + 38}
        textAnchor="middle"
        fill={colors.text}
      >
        Success rate of finished recovery attempts
      </text>
      <text
        x={x(0) - 12}
        y={top - 24}
        textAnchor="end"
        fill={colors.text}
        fontWeight="bold"
      >
        Failure type
      </text>
    </g>
  );
}

function GoalLine(props: {
  x: Scale;
  top: number;
  bottom: number;
  colors: ChartColors;
}) {
  const { x, top, bottom, colors } = props;
  const at = x(SUCCESS_GOAL);
  return (
    <g data-goal={SUCCESS_GOAL}>
      <line
        x1={at}
        x2={at}
        y1={top - 8}
        y2={bottom}
        stroke={colors.text}
        strokeWidth={1.5}
        strokeDasharray="6 4"
      />
      <text x={at} y={top - 12} textAnchor="middle" fill={colors.text}>
        goal {formatPercent(SUCCESS_GOAL)}
      </text>
    </g>
  );
}

function RateBar(props: {
  rate: SuccessRate;
  x: Scale;
  y: number;
  height: number;
  colors: ChartColors;
}) {
  const { rate, x, y, height, colors } = props;
  const belowGoal = rate.rate !== null && rate.rate < SUCCESS_GOAL;
  const middle = y + height / 2;
  return (
    <g data-failure-type={rate.key}>
      <text x={x(0) - 12} y={middle - 2} textAnchor="end" fill={colors.text}>
        {words(rate.key)}
      </text>
      <text
        x={x(0) - 12}
        y={middle + 13}
        textAnchor="end"
        fill={colors.muted}
        fontSize={11}
      >
        {formatCount(rate.attempts)}{' '}
        {rate.attempts === 1 ? 'attempt' : 'attempts'}
      </text>
      {rate.rate === null ? (
        <text x={x(0) + 8} y={middle + 4} fill={colors.muted} data-value-label>
          no attempts
        </text>
      ) : (
        <>
          <rect
            x={x(0)}
            y={y}
            // A sliver still shows where a rate of 0 % is.
            width={Math.max(2, x(rate.rate) - x(0))}
            height={height}
            fill={belowGoal ? colors.bad : colors.good}
            data-below-goal={belowGoal}
          >
            <title>
              {`${words(rate.key)}: ${formatPercent(rate.rate)}, ${formatCount(
                rate.successes,
              )} of ${formatCount(rate.attempts)} ${
                rate.attempts === 1 ? 'attempt' : 'attempts'
              } succeeded${belowGoal ? ', below the goal' : ''}`}
            </title>
          </rect>
          <text
            x={x(1) + 10}
            y={middle + 4}
            fill={colors.text}
            fontWeight="bold"
            data-value-label
          >
            {formatPercent(rate.rate)}
          </text>
        </>
      )}
    </g>
  );
}

/**
 * Horizontal bars of the recovery success rate per failure type, 0 to
 * 100 %, with the goal as a dashed line; bars below it take the error
 * colour, the others the success colour. The rates stand in a column right
 * of the axis, where the goal line cannot cross them.
 */
export function SuccessRateChart(props: { rates: SuccessRate[] }) {
  const { rates } = props;
  const colors = useChartColors();
  const top = MARGIN.top;
  const bottom = top + rates.length * ROW;
  const height = bottom + MARGIN.bottom;
  const x = linearScale([0, 1], [MARGIN.left, WIDTH - MARGIN.right]);
  const band = bands(rates.length, bottom - top, 0.3);

  return (
    <ChartFrame
      title={TITLE}
      description={describe(rates)}
      width={WIDTH}
      height={height}
      fontSize={12}
    >
      <RateAxis x={x} top={top} bottom={bottom} colors={colors} />
      {rates.map((rate, index) => (
        <RateBar
          key={rate.key}
          rate={rate}
          x={x}
          y={top + band.start(index)}
          height={band.size}
          colors={colors}
        />
      ))}
      <GoalLine x={x} top={top} bottom={bottom} colors={colors} />
    </ChartFrame>
  );
}

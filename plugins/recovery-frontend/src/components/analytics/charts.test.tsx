import { darkTheme, lightTheme } from '@backstage/theme';
import { type Theme, ThemeProvider } from '@material-ui/core/styles';
import { render, screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { busyReport, days } from './analyticsFixture';
import { HourStrip } from './HourStrip';
import { OverTimeChart } from './OverTimeChart';
import { SuccessRateChart } from './SuccessRateChart';

function renderIn(theme: Theme, ui: ReactNode) {
  return render(<ThemeProvider theme={theme}>{ui}</ThemeProvider>);
}

const themes = [
  ['light', lightTheme],
  ['dark', darkTheme],
] as const;

describe('SuccessRateChart', () => {
  const rates = busyReport().successRateByFailureType;

  it('draws one labelled bar per failure type with its rate and attempts', () => {
    renderIn(lightTheme, <SuccessRateChart rates={rates} />);
    const chart = screen.getByRole('img', {
      name: 'Success rate by failure type',
    });

    expect(chart.querySelectorAll('rect')).toHaveLength(4);
    const chartText = within(chart as unknown as HTMLElement);
    for (const label of [
      'temporary resource',
      'timeout',
      'network error',
      'validation error',
    ]) {
      expect(chartText.getByText(label)).toBeInTheDocument();
    }
    const values = [...chart.querySelectorAll('[data-value-label]')].map(
      t => t.textContent,
    );
    expect(values).toEqual(['85%', '83%', '100%', '40%']);
    expect(chartText.getByText('12 attempts')).toBeInTheDocument();
    expect(chartText.getByText('5 attempts')).toBeInTheDocument();
    expect(chartText.getByText('Failure type')).toBeInTheDocument();
    expect(
      chartText.getByText('Success rate of finished recovery attempts'),
    ).toBeInTheDocument();
    expect(chart).toHaveAccessibleDescription(
      /validation error 40% of 5 attempts.*2 of 4 failure types below the 85% goal/,
    );
  });

  it('sizes bars by rate and puts the dashed goal line at 85 %', () => {
    renderIn(lightTheme, <SuccessRateChart rates={rates} />);
    const chart = screen.getByRole('img', {
      name: 'Success rate by failure type',
    });
    const tickX = (tick: number) =>
      Number(
        chart.querySelector(`[data-tick="${tick}"] line`)!.getAttribute('x1'),
      );
    const zero = tickX(0);
    const full = tickX(1);
    const at = (share: number) => zero + share * (full - zero);

    const goal = chart.querySelector('[data-goal] line')!;
    expect(Number(goal.getAttribute('x1'))).toBeCloseTo(at(0.85));
    expect(Number(goal.getAttribute('x2'))).toBeCloseTo(at(0.85));
    expect(goal).toHaveAttribute('stroke-dasharray');
    expect(chart.querySelector('[data-goal] text')).toHaveTextContent(
      'goal 85%',
    );

    const widths = [...chart.querySelectorAll('rect')].map(r =>
      Number(r.getAttribute('width')),
    );
    expect(widths[2]).toBeCloseTo(full - zero);
    expect(widths[3]).toBeCloseTo(0.4 * (full - zero));
  });

  it.each(themes)(
    'colours bars below the goal with the error colour of the %s theme',
    (_name, theme) => {
      renderIn(theme, <SuccessRateChart rates={rates} />);
      const chart = screen.getByRole('img', {
        name: 'Success rate by failure type',
      });
      const fill = (type: string) =>
        chart
          .querySelector(`[data-failure-type="${type}"] rect`)!
          .getAttribute('fill');

      expect(fill('timeout')).toBe(theme.palette.error.main);
      expect(fill('validation_error')).toBe(theme.palette.error.main);
      expect(fill('temporary_resource')).toBe(theme.palette.status.ok);
      expect(fill('network_error')).toBe(theme.palette.status.ok);
      expect(
        chart.querySelector('[data-failure-type="timeout"] rect'),
      ).toHaveAttribute('data-below-goal', 'true');
      expect(
        chart.querySelector('[data-failure-type="temporary_resource"] rect'),
      ).toHaveAttribute('data-below-goal', 'false');
      expect(chart.querySelector('[data-value-label]')).toHaveAttribute(
        'fill',
        theme.palette.text.primary,
      );
    },
  );

  it('says so for a failure type without attempts instead of a bar', () => {
    renderIn(
      lightTheme,
      <SuccessRateChart
        rates={[{ key: 'memory', attempts: 0, successes: 0, rate: null }]}
      />,
    );
    const chart = screen.getByRole('img', {
      name: 'Success rate by failure type',
    });
    expect(chart.querySelectorAll('rect')).toHaveLength(0);
    expect(chart.querySelector('[data-value-label]')).toHaveTextContent(
      'no attempts',
    );
  });
});

describe('OverTimeChart', () => {
  it('draws a line per measure with a point per day and its count', () => {
    renderIn(lightTheme, <OverTimeChart days={days(5)} />);
    const chart = screen.getByRole('img', {
      name: 'Failures and recoveries over time',
    });

    expect(chart.querySelectorAll('polyline')).toHaveLength(3);
    expect(chart.querySelectorAll('circle')).toHaveLength(15);
    for (const series of ['failures', 'recoveries', 'successes']) {
      expect(
        chart.querySelectorAll(`[data-series="${series}"] circle`),
      ).toHaveLength(5);
    }
    const titles = [
      ...chart.querySelectorAll('[data-series="failures"] circle title'),
    ].map(t => t.textContent);
    expect(titles).toEqual([
      '2026-12-01: 3 failures',
      '2026-12-02: 1 failure',
      '2026-12-03: 4 failures',
      '2026-12-04: 1 failure',
      '2026-12-05: 5 failures',
    ]);
    expect(
      chart.querySelector('[data-series="successes"] circle title'),
    ).toHaveTextContent('2026-12-01: 2 successful recoveries');
    expect(chart).toHaveAccessibleDescription(
      'From 2026-12-01 to 2026-12-05: 14 failures, 10 recovery attempts, 7 successful recoveries.',
    );
  });

  it('has a legend, day ticks and count ticks up to the largest count', () => {
    renderIn(lightTheme, <OverTimeChart days={days(30)} />);
    const chart = screen.getByRole('img', {
      name: 'Failures and recoveries over time',
    });

    const legend = [...chart.querySelectorAll('[data-legend] text')].map(
      t => t.textContent,
    );
    expect(legend).toEqual([
      'Failures',
      'Recovery attempts',
      'Successful recoveries',
    ]);
    const dayTicks = [...chart.querySelectorAll('[data-day-tick] text')].map(
      t => t.textContent,
    );
    expect(dayTicks).toEqual([
      'Dec 1, 2026',
      'Dec 6',
      'Dec 11',
      'Dec 16',
      'Dec 21',
      'Dec 26',
    ]);
    const countTicks = [
      ...chart.querySelectorAll('[data-count-tick] text'),
    ].map(t => t.textContent);
    expect(countTicks).toEqual(['0', '2', '4', '6']);
    expect(
      within(chart as unknown as HTMLElement).getByText('Day (UTC)'),
    ).toBeInTheDocument();
  });

  it('puts a higher count higher and a later day further right', () => {
    renderIn(lightTheme, <OverTimeChart days={days(5)} />);
    const points = [
      ...document.querySelectorAll('[data-series="failures"] circle'),
    ].map(c => ({
      x: Number(c.getAttribute('cx')),
      y: Number(c.getAttribute('cy')),
    }));
    // failures 3, 1, 4, 1, 5: SVG y grows downwards
    expect(points[2].y).toBeLessThan(points[0].y);
    expect(points[0].y).toBeLessThan(points[1].y);
    expect(points[1].y).toBe(points[3].y);
    expect(points.map(p => p.x)).toEqual(
      [...points.map(p => p.x)].sort((a, b) => a - b),
    );
  });

  it.each(themes)('takes its colours from the %s theme', (_name, theme) => {
    renderIn(theme, <OverTimeChart days={days(5)} />);
    const stroke = (series: string) =>
      document
        .querySelector(`[data-series="${series}"] polyline`)!
        .getAttribute('stroke');
    expect(stroke('failures')).toBe(theme.palette.error.main);
    expect(stroke('recoveries')).toBe(theme.palette.primary.main);
    expect(stroke('successes')).toBe(theme.palette.status.ok);
    expect(
      document.querySelector('[data-count-tick] line')!.getAttribute('stroke'),
    ).toBe(theme.palette.divider);
  });
});

describe('HourStrip', () => {
  it('draws a bar per hour of the day, the busiest the tallest', () => {
    renderIn(lightTheme, <HourStrip hours={busyReport().failuresByHour} />);
    const strip = screen.getByRole('img', {
      name: 'Failures by hour of the day (UTC)',
    });
    const bars = [...strip.querySelectorAll('rect')];
    expect(bars).toHaveLength(24);
    const heights = bars.map(b => Number(b.getAttribute('height')));
    expect(heights.indexOf(Math.max(...heights))).toBe(14);
    expect(bars[14].querySelector('title')).toHaveTextContent(
      '14:00–15:00 UTC: 9 failures',
    );
    expect(strip).toHaveAccessibleDescription(
      'Most failures (9) between 14:00–15:00 UTC.',
    );
  });
});

import { useTheme } from '@material-ui/core/styles';
import type {} from '@backstage/theme';

/** The colours of the charts, from the theme, so both themes read well. */
export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  bad: string;
  good: string;
  failures: string;
  recoveries: string;
  successes: string;
  font: string;
}

export function useChartColors(): ChartColors {
  const { palette, typography } = useTheme();
  // Backstage themes carry status colours; a plain MUI theme does not.
  const good = palette.status?.ok ?? palette.success.main;
  return {
    text: palette.text.primary,
    muted: palette.text.secondary,
    grid: palette.divider,
    bad: palette.error.main,
    good,
    failures: palette.error.main,
    recoveries: palette.primary.main,
    successes: good,
    font: typography.fontFamily ?? 'sans-serif',
  };
}

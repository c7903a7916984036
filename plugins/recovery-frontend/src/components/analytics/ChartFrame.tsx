import { useId, type ReactNode } from 'react';
import { useChartColors } from './chartColors';

/**
 * The svg of a chart as a screen reader meets it: an image named by its
 * title and described in words, scaled to the width of its container.
 */
export function ChartFrame(props: {
  title: string;
  /** What the chart shows, for those who cannot see it. */
  description: string;
  width: number;
  height: number;
  fontSize: number;
  children: ReactNode;
}) {
  const { title, description, width, height, fontSize } = props;
  const colors = useChartColors();
  const descId = useId();
  return (
    <svg
      role="img"
      aria-label={title}
      aria-describedby={descId}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      fontFamily={colors.font}
      fontSize={fontSize}
    >
      <title>{title}</title>
      <desc id={descId}>{description}</desc>
      {props.children}
    </svg>
  );
}

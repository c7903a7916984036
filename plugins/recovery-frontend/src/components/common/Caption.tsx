import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';

/** A secondary line under a cell's main text; the whole on hover. */
export function Caption(props: {
  children: ReactNode;
  title?: string;
  className?: string;
}) {
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      display="block"
      title={props.title}
      className={props.className}
    >
      {props.children}
    </Typography>
  );
}

import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { Recommendation } from '@rebound/core/client';
import { words } from '../common/format';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gap: theme.spacing(2),
  },
  item: {
    padding: theme.spacing(2),
  },
  setting: {
    margin: theme.spacing(1, 0),
  },
  code: {
    fontFamily: 'monospace',
    backgroundColor: theme.palette.action.hover,
    padding: theme.spacing(0, 0.5),
    borderRadius: theme.shape.borderRadius,
  },
}));

/** An evidence key of the API (camelCase) as words: "Recovered after longer timeout". */
export function evidenceLabel(key: string): string {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function suggestion(value: Recommendation['suggestedValue']): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function RecommendationItem(props: { recommendation: Recommendation }) {
  const { title, message, setting, suggestedValue, evidence, rule } =
    props.recommendation;
  const classes = useStyles();
  return (
    <Paper
      variant="outlined"
      className={classes.item}
      component="article"
      aria-label={title}
    >
      <Typography variant="overline" color="textSecondary">
        {words(rule)}
      </Typography>
      <Typography variant="subtitle1" component="h3">
        {title}
      </Typography>
      <Typography variant="body2">{message}</Typography>
      <Typography variant="body2" className={classes.setting}>
        Change <code className={classes.code}>{setting}</code>
        {suggestedValue === undefined ? (
          ' to a value the evidence below supports.'
        ) : (
          <>
            {' '}
            to{' '}
            <code className={classes.code}>{suggestion(suggestedValue)}</code>.
          </>
        )}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="h4">
        Evidence
      </Typography>
      <StructuredMetadataTable
        dense
        metadata={evidence}
        options={{ titleFormat: evidenceLabel }}
      />
    </Paper>
  );
}

/** The period's recommendations, each with its setting and evidence. */
export function Recommendations(props: {
  recommendations: Recommendation[];
  empty: boolean;
}) {
  const { recommendations, empty } = props;
  const classes = useStyles();
  let body;
  if (empty) {
    body = (
      <Typography variant="body2">
        This period holds no failures or recoveries, so there is nothing to
        recommend.
      </Typography>
    );
  } else if (recommendations.length === 0) {
    body = (
      <Typography variant="body2">
        No recommendation: each rule needs a minimum of failures or attempts of
        one kind before it speaks, and none reached it in this period.
      </Typography>
    );
  } else {
    body = (
      <div className={classes.list}>
        {recommendations.map(r => (
          <RecommendationItem key={r.id} recommendation={r} />
        ))}
      </div>
    );
  }
  return <InfoCard title="Recommendations">{body}</InfoCard>;
}

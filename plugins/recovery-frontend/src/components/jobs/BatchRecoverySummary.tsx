import { Link } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import ListSubheader from '@material-ui/core/ListSubheader';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import type {
  BatchRecoveryItem,
  BatchRecoveryResult,
  Job,
} from '@rebound/core/client';

const useStyles = makeStyles(theme => ({
  id: {
    fontFamily: 'monospace',
    color: theme.palette.text.secondary,
    marginLeft: theme.spacing(1),
  },
  subheader: {
    backgroundColor: theme.palette.background.paper,
  },
  // A dense list item keeps to one line and hides the rest: a file name
  // and a reason are read in full, however long.
  text: {
    whiteSpace: 'normal',
    overflowWrap: 'anywhere',
  },
}));

const GROUPS = [
  { key: 'successful', title: 'Successful' },
  { key: 'failed', title: 'Failed' },
  { key: 'skipped', title: 'Skipped' },
] as const;

function ItemRow(props: {
  item: BatchRecoveryItem;
  fileName: string | undefined;
  jobLink: (jobId: string) => string;
}) {
  const { item, fileName, jobLink } = props;
  const classes = useStyles();
  return (
    <ListItem dense>
      <ListItemText
        primaryTypographyProps={{ className: classes.text }}
        secondaryTypographyProps={{ className: classes.text }}
        primary={
          <>
            <Link to={jobLink(item.jobId)}>{fileName ?? item.jobId}</Link>
            <span className={classes.id} title={item.jobId}>
              {item.jobId.slice(0, 8)}
            </span>
          </>
        }
        secondary={item.reason}
      />
    </ListItem>
  );
}

/** What a batch recovery did: the counts, then each job with its reason. */
export function BatchRecoverySummary(props: {
  result: BatchRecoveryResult;
  jobs: Job[];
  jobLink: (jobId: string) => string;
}) {
  const { result, jobs, jobLink } = props;
  const classes = useStyles();
  const names = new Map(jobs.map(job => [job.id, job.fileName]));
  // A person's own recovery from the job page retries these; a batch does not.
  const byHand = result.skipped.filter(
    item => item.plan && !item.plan.automatic,
  ).length;
  const counts = `${result.successful.length} successful, ${result.failed.length} failed, ${result.skipped.length} skipped`;

  return (
    <>
      <Alert
        severity={
          result.failed.length > 0 || result.successful.length === 0
            ? 'warning'
            : 'success'
        }
        role="status"
      >
        {result.dryRun
          ? `Dry run, nothing changed: ${counts}. The reasons say what a recovery would do.`
          : result.successful.length === 0
          ? `Nothing was recovered: ${counts}.`
          : `${counts}. Recovered jobs run again on their own; the list shows their progress.`}
        {byHand > 0 &&
          ` ${
            byHand === 1 ? '1 job needs' : `${byHand} jobs need`
          } a person: open each to read its failure and what to do; Recover on a job's page retries it unless its file must change.`}
      </Alert>
      {GROUPS.filter(group => result[group.key].length > 0).map(group => (
        <List
          key={group.key}
          aria-label={`${group.title} jobs`}
          subheader={
            <ListSubheader className={classes.subheader} disableSticky>
              <Typography variant="subtitle2" component="span">
                {group.title} ({result[group.key].length})
              </Typography>
            </ListSubheader>
          }
        >
          {result[group.key].map(item => (
            <ItemRow
              key={item.jobId}
              item={item}
              fileName={names.get(item.jobId)}
              jobLink={jobLink}
            />
          ))}
        </List>
      ))}
    </>
  );
}

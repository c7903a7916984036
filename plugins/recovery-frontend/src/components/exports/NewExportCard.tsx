import { InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  ExportDatasetInfo,
  ExportRecord,
  ExportRequest,
} from '@rebound/core/client';
import { useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { useRebound } from '../../api';
import {
  ActionButton,
  firstReason,
  usePermissionReason,
} from '../common/actions';
import { RequestError } from '../common/errors';
import {
  browserTimeZone,
  ExportDefinitionFields,
  type useExportDatasets,
} from './ExportDefinitionFields';
import { FORMAT_LABELS } from './formats';

function firstRequest(datasets: ExportDatasetInfo[]): ExportRequest {
  return {
    dataset: datasets[0]?.name ?? '',
    format: 'csv',
    options: { timezone: browserTimeZone() },
  };
}

function NewExportForm(props: {
  datasets: ExportDatasetInfo[];
  onCreated: (record: ExportRecord) => void;
}) {
  const { datasets, onCreated } = props;
  const client = useRebound();
  const permission = usePermissionReason('exportCreate');
  const [request, setRequest] = useState(() => firstRequest(datasets));
  const [problems, setProblems] = useState<string[]>([]);
  const [created, create] = useAsyncFn(async () => {
    const record = await client.createExport(request);
    onCreated(record);
    return record;
  }, [client, request, onCreated]);

  const reason = firstReason(
    permission.reason,
    datasets.length === 0 && 'The backend offers no dataset to export.',
    problems[0],
    created.loading && 'Creating the export…',
  );

  return (
    <>
      <ExportDefinitionFields
        value={request}
        onChange={setRequest}
        datasets={datasets}
        disabled={created.loading}
        onProblemsChange={setProblems}
      />
      <Box mt={2} display="flex" alignItems="center" gridGap={16}>
        <ActionButton
          variant="contained"
          color="primary"
          disabledReason={reason}
          onClick={() => create()}
        >
          Create export
        </ActionButton>
        {created.value && !created.loading && (
          <Typography variant="body2" role="status">
            Created {created.value.fileName} (
            {FORMAT_LABELS[created.value.format]}): it is listed under Exports.
          </Typography>
        )}
      </Box>
      {created.error && (
        <Box mt={2}>
          <RequestError
            title="Creating the export failed"
            error={created.error}
          />
        </Box>
      )}
    </>
  );
}

/** The form that starts an export; always shown above the list. */
export function NewExportCard(props: {
  datasets: ReturnType<typeof useExportDatasets>;
  onCreated: (record: ExportRecord) => void;
}) {
  const { datasets, onCreated } = props;
  let content: JSX.Element;
  if (datasets.loading) {
    content = <Progress />;
  } else if (datasets.error || !datasets.value) {
    content = (
      <RequestError
        title="Loading the datasets to export failed"
        error={datasets.error}
        onRetry={datasets.retry}
      />
    );
  } else {
    content = <NewExportForm datasets={datasets.value} onCreated={onCreated} />;
  }
  return (
    <InfoCard
      title="New export"
      subheader="Write a dataset to a file in CSV, JSON, NDJSON, Excel or PDF."
    >
      {content}
    </InfoCard>
  );
}

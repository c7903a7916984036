import Grid from '@material-ui/core/Grid';
import type { ExportRecord } from '@rebound/core/client';
import { useCallback } from 'react';
import { useExportDatasets } from './ExportDefinitionFields';
import { ExportList } from './ExportList';
import { NewExportCard } from './NewExportCard';
import { useRecentRecords } from './recentRecords';

/** The exports tab: the form that starts an export, and the list of them. */
export function ExportsTab() {
  const datasets = useExportDatasets();
  const { recent, remember } = useRecentRecords();
  const onCreated = useCallback(
    (record: ExportRecord) => remember(record, true),
    [remember],
  );
  const onRetried = useCallback(
    (record: ExportRecord) => remember(record, false),
    [remember],
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <NewExportCard datasets={datasets} onCreated={onCreated} />
      </Grid>
      <Grid item xs={12}>
        <ExportList
          datasets={datasets.value ?? []}
          recent={recent}
          onRetried={onRetried}
        />
      </Grid>
    </Grid>
  );
}

import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { Route, Routes } from 'react-router-dom';
import { AnalyticsTab } from './analytics/AnalyticsTab';
import { ExportsTab } from './exports/ExportsTab';
import { JobPage } from './jobs/JobPage';
import { JobsTab } from './jobs/JobsTab';
import { SchedulesTab } from './schedules/SchedulesTab';

/** The recovery page: one tab per part of Rebound. */
export function RecoveryPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Rebound"
        subtitle="Recover failed CSV jobs, export what happened, schedule reports"
      />
      <TabbedLayout>
        <TabbedLayout.Route path="/jobs" title="Jobs and recovery">
          <Routes>
            <Route path="/" element={<JobsTab />} />
            <Route path="/:jobId" element={<JobPage />} />
          </Routes>
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/exports" title="Exports">
          <ExportsTab />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/schedules" title="Schedules">
          <SchedulesTab />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/analytics" title="Analytics">
          <AnalyticsTab />
        </TabbedLayout.Route>
      </TabbedLayout>
    </Page>
  );
}

export function AnalyticsTab() {
  return <div>AnalyticsTab</div>;
}

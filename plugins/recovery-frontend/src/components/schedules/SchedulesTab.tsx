export function SchedulesTab() {
  return <div>SchedulesTab</div>;
}

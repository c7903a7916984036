export function JobsTab() {
  return <div>JobsTab</div>;
}

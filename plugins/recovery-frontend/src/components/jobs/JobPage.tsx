export function JobPage() {
  return <div>JobPage</div>;
}

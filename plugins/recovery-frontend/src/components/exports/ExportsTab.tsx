export function ExportsTab() {
  return <div>ExportsTab</div>;
}

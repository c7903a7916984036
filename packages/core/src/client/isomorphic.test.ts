import fs from 'node:fs';
import path from 'node:path';

/** Every module @rebound/core/client reaches, by its import lines. */
function reachable(entry: string): { files: string[]; external: string[] } {
  const files = new Set<string>();
  const external: string[] = [];
  const visit = (file: string) => {
    if (files.has(file)) {
      return;
    }
    files.add(file);
    const source = fs.readFileSync(file, 'utf8');
    for (const match of source.matchAll(
      /(?:import|export)[^'"]*from\s+'([^']+)'/g,
    )) {
      const target = match[1];
      if (target.startsWith('.')) {
        visit(`${path.resolve(path.dirname(file), target)}.ts`);
      } else {
        external.push(`${path.basename(file)} imports ${target}`);
      }
    }
  };
  visit(entry);
  return { files: [...files], external };
}

describe('@rebound/core/client', () => {
  it('imports no Node module and no package, so a browser can load it', () => {
    const { files, external } = reachable(path.join(__dirname, 'index.ts'));
    expect(files.length).toBeGreaterThan(2);
    expect(external).toEqual([]);
  });
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { LocalStorageService } from './LocalStorageService';

describe('LocalStorageService', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rebound-storage-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** A half-written file last written to `ageMs` ago. */
  async function partial(name: string, ageMs: number): Promise<string> {
    const file = path.join(dir, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, 'a,b\n1,');
    const at = new Date(Date.now() - ageMs);
    await fs.utimes(file, at, at);
    return file;
  }

  const exists = (file: string) =>
    fs.access(file).then(
      () => true,
      () => false,
    );

  it('removes partial files a dead writer left, at the start and later', async () => {
    const atStart = await partial('sources/a.1.partial', 2 * 3600_000);
    const storage = await LocalStorageService.create(dir);
    expect(await exists(atStart)).toBe(false);

    // Left by another replica that died while this one ran.
    const later = await partial('sources/b.2.partial', 2 * 3600_000);
    const young = await partial('sources/c.3.partial', 60_000);
    await storage.put('sources/kept', 'a\n1\n');

    expect(await storage.removeStalePartials()).toBe(1);
    expect(await exists(later)).toBe(false);
    // Someone may be writing it now.
    expect(await exists(young)).toBe(true);
    expect(await storage.size('sources/kept')).toBe(4);
  });

  it('removes its partial file when the body fails half-way', async () => {
    const storage = await LocalStorageService.create(dir);
    const body = new Readable({ read() {} });
    const stored = storage.put('sources/broken', body);
    body.push('a,b\n1,2\n');
    setTimeout(() => body.destroy(new Error('client went away')), 20);

    await expect(stored).rejects.toThrow('client went away');
    expect(await fs.readdir(path.join(dir, 'sources'))).toEqual([]);
  });
});

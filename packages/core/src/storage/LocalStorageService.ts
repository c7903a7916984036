import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inputError, notFound, ReboundError } from '../errors';
import type { StorageService, StoredObject } from './StorageService';

/**
 * Storage in a local folder (`recovery.storage.dir`). Writes go to a
 * temporary name beside the target and are renamed when complete.
 *
 * @public
 */
export class LocalStorageService implements StorageService {
  readonly root: string;

  static async create(dir: string): Promise<LocalStorageService> {
    const root = path.resolve(dir);
    try {
      await fs.mkdir(root, { recursive: true });
      await fs.access(root, fs.constants.W_OK);
    } catch (error) {
      throw new ReboundError(
        'internal',
        'storage_unwritable',
        `The storage folder ${root} (recovery.storage.dir) cannot be ` +
          `written: ${(error as Error).message}. Point the setting at a ` +
          'folder this process may write to.',
        { cause: error },
      );
    }
    const storage = new LocalStorageService(root);
    await storage.removeStalePartials();
    return storage;
  }

  private constructor(root: string) {
    this.root = root;
  }

  async put(
    key: string,
    body: Readable | Buffer | string,
  ): Promise<StoredObject> {
    const file = this.resolve(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${randomUUID()}.partial`;
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const source = typeof body === 'string' || Buffer.isBuffer(body)
      ? Readable.from([Buffer.from(body)])
      : body;
    try {
      await pipeline(source, meter, createWriteStream(temp));
      await fs.rename(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    return { key, size, sha256: hash.digest('hex') };
  }

  async read(key: string, options: { start?: number } = {}): Promise<Readable> {
    const file = this.resolve(key);
    try {
      await fs.access(file, fs.constants.R_OK);
    } catch {
      throw notFound('file_missing', `The stored file ${key} is missing.`);
    }
    return createReadStream(file, { start: options.start ?? 0 });
  }

  async size(key: string): Promise<number | undefined> {
    try {
      return (await fs.stat(this.resolve(key))).size;
    } catch {
      return undefined;
    }
  }

  async sha256(key: string): Promise<string> {
    const hash = createHash('sha256');
    await pipeline(await this.read(key), hash);
    return hash.digest('hex');
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.resolve(key), { force: true });
  }

  async freeBytes(): Promise<number | undefined> {
    const stats = await fs.statfs(this.root);
    return stats.bavail * stats.bsize;
  }

  /**
   * Half-written files of a process that was killed stay behind under a
   * temporary name; the start and the storage clean-up remove them.
   * Files written to within `olderThanMs` are left alone: another replica
   * may be writing them now. Returns how many were removed.
   */
  async removeStalePartials(olderThanMs = STALE_PARTIAL_MS): Promise<number> {
    const entries = await fs.readdir(this.root, {
      recursive: true,
      withFileTypes: true,
    });
    const now = Date.now();
    let removed = 0;
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith('.partial')) {
        continue;
      }
      const file = path.join(entry.parentPath ?? entry.path, entry.name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat && now - stat.mtimeMs > olderThanMs) {
        await fs.rm(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  /** Keys are relative paths; one that leaves the root is refused. */
  resolve(key: string): string {
    const file = path.resolve(this.root, key);
    if (!file.startsWith(this.root + path.sep)) {
      throw inputError(
        'storage_key_outside_root',
        `The storage key '${key}' points outside ${this.root}; ` +
          'use a relative path without "..".',
      );
    }
    return file;
  }
}

/** Untouched this long, a `.partial` file belongs to a writer that died. */
const STALE_PARTIAL_MS = 60 * 60 * 1000;

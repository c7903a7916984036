import type { Readable } from 'node:stream';

/** What a stored file is. @public */
export interface StoredObject {
  key: string;
  size: number;
  sha256: string;
}

/**
 * Where sources and exports are kept. A file becomes visible under its key
 * only once complete, so a reader never sees half a file.
 *
 * @public
 */
export interface StorageService {
  /** Streams body to key, hashing as it goes; replaces nothing half-way. */
  put(key: string, body: Readable | Buffer | string): Promise<StoredObject>;
  /** A stream of the file, optionally from a byte offset. */
  read(key: string, options?: { start?: number }): Promise<Readable>;
  /** The size of the file, or undefined when it does not exist. */
  size(key: string): Promise<number | undefined>;
  sha256(key: string): Promise<string>;
  delete(key: string): Promise<void>;
  /** Bytes free on the device behind the storage, when it can tell. */
  freeBytes?(): Promise<number | undefined>;
  /**
   * Removes half-written files that no writer has touched for
   * `olderThanMs`, left by a process that died; returns how many.
   */
  removeStalePartials?(olderThanMs?: number): Promise<number>;
}

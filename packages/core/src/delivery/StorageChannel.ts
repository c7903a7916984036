import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { inputError } from '../errors';
import { zonedTime } from '../exports/timezone';
import type { Delivery, StorageDelivery } from '../schedules/wire';
import {
  checkDeliveryKeys,
  DeliveryError,
  type DeliveryChannel,
  type DeliveryContext,
} from './DeliveryChannel';

/** `recovery.delivery.storage`. @public */
export interface StorageChannelOptions {
  /** The folder every storage delivery writes under. */
  root: string;
}

const PLACEHOLDERS = ['schedule', 'date', 'time', 'name', 'ext', 'run'];
const UNSAFE = /[\u0000-\u001f\u007f/\\:*?"<>|]/g;

/** What went wrong with a write, in words without the server's paths. */
function writeProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'no space left on the disk';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOTDIR':
    case 'EEXIST':
    case 'EISDIR':
      return 'a file or folder of that name is in the way';
    case 'ENAMETOOLONG':
      return 'a name in the path is too long';
    default:
      return (error as NodeJS.ErrnoException).code ?? 'the write failed';
  }
}

/** A copy of the export under a configured root, by a path template. @public */
export class StorageChannel implements DeliveryChannel {
  readonly type = 'storage';
  private readonly root: string;

  constructor(options: StorageChannelOptions) {
    this.root = path.resolve(options.root);
  }

  validate(delivery: Record<string, unknown>, where: string): StorageDelivery {
    checkDeliveryKeys(delivery, ['path'], where);
    const template = delivery.path;
    const help = `e.g. "{schedule}/{date}/{name}.{ext}"; placeholders: ${PLACEHOLDERS.map(
      p => `{${p}}`,
    ).join(', ')}`;
    if (typeof template !== 'string' || template.trim() === '') {
      throw inputError(
        'invalid_storage_path',
        `${where}.path must be a path template, ${help}.`,
      );
    }
    const segments = template.split(/[/\\]/);
    if (
      path.isAbsolute(template) ||
      /^[a-zA-Z]:/.test(template) ||
      segments.some(s => s === '..' || s === '.')
    ) {
      throw inputError(
        'storage_path_outside_root',
        `${where}.path "${template}" would leave the delivery root ` +
          '(recovery.delivery.storage.root); use a relative path without "..", ' +
          `${help}.`,
      );
    }
    for (const match of template.matchAll(/\{([^}]*)\}/g)) {
      if (!PLACEHOLDERS.includes(match[1])) {
        throw inputError(
          'invalid_storage_path',
          `${where}.path names {${match[1]}}, which is not a placeholder; ${help}.`,
        );
      }
    }
    return { type: 'storage', path: template };
  }

  recipients(delivery: Delivery): string[] {
    return [(delivery as StorageDelivery).path];
  }

  /**
   * Written to a temporary name beside the target, then renamed. The
   * attempt keeps the path, relative to the delivery folder, whether the
   * write succeeded or not.
   */
  async deliver(
    delivery: Delivery,
    _recipient: string,
    context: DeliveryContext,
  ): Promise<Record<string, unknown>> {
    const relative = this.render((delivery as StorageDelivery).path, context);
    const file = path.resolve(this.root, relative);
    if (!file.startsWith(this.root + path.sep)) {
      throw new DeliveryError(
        'storage_path_outside_root',
        `The path template gave ${relative}, which would leave the ` +
          "delivery folder; change the delivery's path template to a " +
          'relative path without "..".',
        { retryable: false },
      );
    }
    const temp = `${file}.${randomUUID()}.partial`;
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await pipeline(await context.file.open(), createWriteStream(temp));
      await fs.rename(temp, file);
    } catch (error) {
      // A failed clean-up must not hide why the write failed.
      await fs.rm(temp, { force: true }).catch(() => undefined);
      // The cause, kept for the log, holds the server's absolute path.
      throw new DeliveryError(
        'storage_write_failed',
        `The file could not be written to ${relative} in the delivery ` +
          `folder (${writeProblem(error)}). If this persists, ask an ` +
          'administrator to check that the delivery folder ' +
          '(recovery.delivery.storage.root) can be written, then resend.',
        { retryable: true, cause: error, detail: { path: relative } },
      );
    }
    return { path: relative };
  }

  private render(template: string, context: DeliveryContext): string {
    const { record } = context.file;
    const at = zonedTime(
      Date.parse(context.run.scheduledFor),
      context.schedule.timezone,
    );
    const p = (n: number) => String(n).padStart(2, '0');
    const ext = path.extname(record.fileName).slice(1);
    const values: Record<string, string> = {
      schedule: context.schedule.name,
      date: `${at.year}-${p(at.month)}-${p(at.day)}`,
      time: `${p(at.hour)}${p(at.minute)}`,
      name: record.fileName.slice(0, record.fileName.length - ext.length - 1),
      ext,
      run: context.run.id,
    };
    return template.replace(/\{([a-z]+)\}/g, (_, key: string) => {
      const value = values[key].replace(UNSAFE, '_').trim();
      return /^\.+$/.test(value) || value === '' ? '_' : value;
    });
  }
}

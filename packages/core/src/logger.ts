/**
 * The logging the core needs; Backstage's LoggerService fits it, and so
 * does a console-backed one for scripts.
 *
 * @public
 */
export interface Logger {
  error(message: string, meta?: Error | Record<string, unknown>): void;
  warn(message: string, meta?: Error | Record<string, unknown>): void;
  info(message: string, meta?: Error | Record<string, unknown>): void;
  debug(message: string, meta?: Error | Record<string, unknown>): void;
  child(meta: Record<string, unknown>): Logger;
}

/** A logger that drops everything, for tests and benchmarks. @public */
export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silentLogger;
  },
};

// Logging for the core: electron-log's Node entry writing to the station's data directory, so the
// Electron app and headless/browser-host runs keep one log in the same place. Tests pass a quiet or
// capturing logger instead.
import log from 'electron-log/node';
import { join } from 'node:path';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const LOG_FILE_NAME = 'station.log';

/** The file logger for a data directory; also echoes to the console at `consoleLevel`. */
export function fileLogger(dataDir: string, consoleLevel: 'info' | 'warn' | false = 'info'): Logger {
  log.transports.file.resolvePathFn = () => join(dataDir, 'logs', LOG_FILE_NAME);
  log.transports.file.level = 'debug';
  log.transports.file.maxSize = 5 * 1024 * 1024;
  log.transports.console.level = consoleLevel;
  log.errorHandler.startCatching({ showDialog: false });
  return log;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

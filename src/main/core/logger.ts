// Logging for the core: electron-log's Node entry writing to the station's data directory, so the
// Electron app and headless/browser-host runs keep one log in the same place. Tests pass a quiet or
// capturing logger instead.
//
// A broken stdout or stderr (`npm run headless | head -c 100` once head exits, a supervisor whose log
// pipe went away, a full disk under a redirect) silences the console transport and nothing else. Without
// a listener, the stream's EPIPE 'error' is an uncaught exception; electron-log's error catcher logs it,
// to the console among others, which fails again: the process spun at 100 % CPU, rewrote megabytes of
// log a second, answered no request and never got to its SIGTERM handler. Now both streams have an
// 'error' listener (installed once per process, by whichever host configures the log) that turns the
// console transport off and writes one line to the log file. The file log stays on and stays bounded
// (5 MB, one rotated copy); the API and the signal handlers never notice.
import log from 'electron-log/node';
import { join } from 'node:path';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const LOG_FILE_NAME = 'station.log';
/** Where electron-log rotates the file (it keeps one older copy, station.old.log). */
export const LOG_MAX_BYTES = 5 * 1024 * 1024;

type ConsoleLevel = 'info' | 'warn' | false;

/** The parts of electron-log (its Node and its Electron main entry alike) the station configures. */
export interface ElectronLogLike extends Logger {
  transports: {
    file: { resolvePathFn: unknown; level: unknown; maxSize: number };
    console: { level: unknown };
  };
  errorHandler: { startCatching(options: { showDialog: boolean }): void };
}

/**
 * Points electron-log at the data directory's log file, echoes to the console at `consoleLevel`, logs
 * uncaught errors, and silences the console once stdout or stderr breaks. The Electron shell calls this
 * with electron-log/main, the other hosts through fileLogger.
 */
export function configureLog<L extends ElectronLogLike>(
  logger: L,
  dataDir: string,
  consoleLevel: ConsoleLevel,
): L {
  logger.transports.file.resolvePathFn = () => join(dataDir, 'logs', LOG_FILE_NAME);
  logger.transports.file.level = 'debug';
  logger.transports.file.maxSize = LOG_MAX_BYTES;
  logger.transports.console.level = consoleLevel;
  logger.errorHandler.startCatching({ showDialog: false });
  silenceConsoleWhenBroken(logger);
  return logger;
}

/** The file logger for a data directory; also echoes to the console at `consoleLevel`. */
export function fileLogger(dataDir: string, consoleLevel: ConsoleLevel = 'info'): Logger {
  return configureLog(log, dataDir, consoleLevel);
}

const guarded = new WeakSet<NodeJS.WriteStream>();

function silenceConsoleWhenBroken(logger: ElectronLogLike): void {
  const streams: [string, NodeJS.WriteStream | undefined][] = [
    ['stdout', process.stdout],
    ['stderr', process.stderr],
  ];
  for (const [name, stream] of streams) {
    if (!stream || guarded.has(stream)) continue;
    guarded.add(stream);
    let reported = false;
    // `on`, not `once`: a later write to the dead stream (a host's own console.log) errs again.
    stream.on('error', (e: NodeJS.ErrnoException) => {
      logger.transports.console.level = false;
      if (reported) return;
      reported = true;
      logger.warn(
        `${name} is closed (${e.code ?? e.message}): console logging is off; this log file carries on`,
      );
    });
  }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

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
//
// Secrets never reach the file: every line passes through `redact` (below, the one redaction function;
// the diagnostics export uses it too) in an electron-log hook, as it is written. It removes the values
// the running stations registered (registerLogSecrets: the API token and the OFD token, read live, so a
// token changed in the settings is covered at once) and anything shaped like a credential: bearer
// headers, `?token=` query strings, `pin`/`token`/`password`/`secret` fields, the PIN's scrypt hash. A
// buyer's phone and e-mail are masked, not removed (support can still tell two buyers apart): +7********67,
// i***@example.ru. Redaction errs on the side of hiding: a false positive costs a support engineer a
// value, a false negative leaks a credential into an e-mailed bundle.
import log from 'electron-log/node';
import type { LogMessage } from 'electron-log';
import { join } from 'node:path';
import { inspect } from 'node:util';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const LOG_FILE_NAME = 'station.log';
/** Where electron-log rotates the file (it keeps one older copy, station.old.log). */
export const LOG_MAX_BYTES = 5 * 1024 * 1024;

export const REDACTED = '[REDACTED]';

const secretProviders = new Set<() => readonly (string | null | undefined)[]>();

/**
 * Registers where the current secrets are (a station's live configuration); every log line written
 * afterwards has them removed. Returns the unregistration (the station calls it when it stops).
 */
export function registerLogSecrets(provider: () => readonly (string | null | undefined)[]): () => void {
  secretProviders.add(provider);
  return () => secretProviders.delete(provider);
}

function registeredSecrets(): string[] {
  const out: string[] = [];
  for (const p of secretProviders) for (const s of p()) if (s) out.push(s);
  return out;
}

const PHONE = /(?<![\w+])(\+7|8)([\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*)(\d{2})(?!\d)/g;
const EMAIL =
  /(?<![\w.%+-])([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
const SECRET_FIELD =
  /\b([A-Za-z_]*(?:pin|token|password|secret))(["']?\s*[:=]\s*["']?)(?!\[REDACTED\])([^"'\s,&}]+)/gi;

/**
 * The one redaction of the station: the registered secrets plus `extraSecrets` (values of 6 characters
 * or more), credentials by their shape, and buyers' phones and e-mails masked. Used on every log line
 * as it is written and on everything the diagnostics bundle exports.
 */
export function redact(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  const secrets = [...registeredSecrets(), ...extraSecrets].sort((a, b) => b.length - a.length);
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join(REDACTED);
  return out
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`)
    .replace(/([?&]token=)[^&\s"']+/gi, `$1${REDACTED}`)
    .replace(/scrypt\$[A-Za-z0-9+/=$]+/g, REDACTED)
    .replace(SECRET_FIELD, `$1$2${REDACTED}`)
    .replace(
      PHONE,
      (_m, prefix: string, middle: string, last: string) => `${prefix}${middle.replace(/\d/g, '*')}${last}`,
    )
    .replace(EMAIL, '$1***@$2');
}

/** A key whose value is a secret (`pin`, `apiToken`, `ofd_token`, `password`…). */
const SECRET_KEY = /(?:pin|token|password|secret)$/i;

/**
 * The same redaction for a value about to become JSON (the diagnostics bundle): applied to the strings
 * inside it, with secret-named keys blanked, so the result stays valid JSON and numbers are never
 * touched (a text-level pass would mask an 11-digit byte count as if it were a phone number).
 */
export function redactJson(value: unknown, extraSecrets: readonly string[] = []): unknown {
  if (typeof value === 'string') return redact(value, extraSecrets);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, extraSecrets));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET_KEY.test(k) && typeof v === 'string' ? REDACTED : redactJson(v, extraSecrets),
    ]),
  );
}

/** electron-log hook: every piece of every message, redacted, before any transport writes it. */
function redactHook(message: LogMessage): LogMessage {
  return {
    ...message,
    data: message.data.map((d) =>
      typeof d === 'string'
        ? redact(d)
        : d instanceof Error
          ? redact(d.stack ?? d.message)
          : d !== null && typeof d === 'object'
            ? redact(inspect(d))
            : d,
    ),
  };
}

type ConsoleLevel = 'info' | 'warn' | false;

/** The parts of electron-log (its Node and its Electron main entry alike) the station configures. */
export interface ElectronLogLike extends Logger {
  transports: {
    file: { resolvePathFn: unknown; level: unknown; maxSize: number };
    console: { level: unknown };
  };
  hooks: ((message: LogMessage) => LogMessage | false)[];
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
  if (!logger.hooks.includes(redactHook)) logger.hooks.push(redactHook);
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

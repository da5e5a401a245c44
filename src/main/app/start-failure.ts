// What a failure to start means, the same for every host: a bad setting exits 2, another station on the
// data directory exits 3 (core/data-dir.ts), anything else exits 1. The console hosts (`npm run
// headless`, `npm run web`) print one English line and run until SIGTERM/SIGINT (runConsoleHost); the
// catalogue CLI and the Electron shell's dialog take the same codes and words from startFailure.
import { ConfigError } from '../core/config.ts';
import { DataDirLockedError, EXIT_DATA_DIR_LOCKED } from '../core/data-dir.ts';

export const EXIT_BAD_SETTING = 2;

export interface StartFailure {
  exitCode: number;
  /** One English line for the console. */
  line: string;
  /** The desktop app's dialog title (Russian); the dialog's text is the error's own message. */
  title: string;
  /** Not a known start failure: a bug or the environment; its stack belongs in the log. */
  unexpected: boolean;
}

/** `what` names the program in the line of an unexpected failure ("Cashier Station"). */
export function startFailure(e: unknown, what = 'Cashier Station'): StartFailure {
  const message = (e as Error | undefined)?.message ?? String(e);
  if (e instanceof ConfigError)
    return {
      exitCode: EXIT_BAD_SETTING,
      line: `Configuration error: ${message}`,
      title: 'Ошибка конфигурации',
      unexpected: false,
    };
  if (e instanceof DataDirLockedError)
    return {
      exitCode: EXIT_DATA_DIR_LOCKED,
      line: message,
      title: 'Кассовая станция уже запущена',
      unexpected: false,
    };
  return {
    exitCode: 1,
    line: `${what} failed to start: ${message}`,
    title: 'Кассовая станция не запустилась',
    unexpected: true,
  };
}

/** A started console host: what it does on SIGTERM/SIGINT before the process exits 0. */
export type StopOnSignal = (signal: string) => Promise<void>;

/**
 * Starts a console host: a failure to start prints its one line and exits with its code (`known`
 * adds the host's own, e.g. the browser host's missing renderer build); once started, the first
 * SIGTERM/SIGINT stops it and exits 0.
 */
export function runConsoleHost(
  what: string,
  start: () => Promise<StopOnSignal>,
  known: (e: unknown) => { exitCode: number; line: string } | null = () => null,
): void {
  start().then(
    (stop) => {
      let stopping = false;
      const onSignal = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        await stop(signal);
        process.exit(0);
      };
      process.on('SIGTERM', () => void onSignal('SIGTERM'));
      process.on('SIGINT', () => void onSignal('SIGINT'));
    },
    (e: unknown) => {
      const f = known(e) ?? startFailure(e, what);
      console.error(f.line);
      process.exit(f.exitCode);
    },
  );
}

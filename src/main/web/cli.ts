// `npm run web`: starts the browser host (host.ts) and prints the link to open, token included, on a
// line of its own on stdout ("Open http://127.0.0.1:PORT/?token=…"): people copy it, tests parse it.
// Not in the log file: the token is a secret. A bad setting or a missing
// renderer build exits 2 with one line, another station on the same data directory exits 3 naming it
// (core/data-dir.ts); SIGTERM/SIGINT stop the station gracefully and exit 0.
import { ConfigError } from '../core/config.ts';
import { DataDirLockedError, EXIT_DATA_DIR_LOCKED } from '../core/data-dir.ts';
import { startWebHost, type WebHost } from './host.ts';
import { MissingRendererError } from './static-files.ts';

async function main(): Promise<void> {
  let host: WebHost;
  try {
    host = await startWebHost();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(2);
    }
    if (e instanceof DataDirLockedError) {
      console.error(e.message);
      process.exit(EXIT_DATA_DIR_LOCKED);
    }
    if (e instanceof MissingRendererError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  process.stdout.write(`Open ${host.url}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the browser host`);
    await host.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e: Error) => {
  console.error(`Cashier Station browser host failed to start: ${e.message}`);
  process.exit(1);
});

// `npm run headless`: the station with no window: the core, the REST API on 127.0.0.1 and the sync
// worker, logging to the data directory. Stops gracefully on SIGTERM/SIGINT.
// Exit codes: 0 stopped by a signal, 1 failed to start, 2 a bad setting, 3 another station already runs
// on the data directory (core/data-dir.ts; the message names it). A closed stdout/stderr only silences
// the console (core/logger.ts).
import { ConfigError, loadConfig } from '../core/config.ts';
import { DataDirLockedError, EXIT_DATA_DIR_LOCKED } from '../core/data-dir.ts';
import { fileLogger } from '../core/logger.ts';
import { startStationApp } from '../app/station-app.ts';
import { startRestApi } from '../rest/rest-api.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const log = fileLogger(config.dataDir);
  let app;
  try {
    app = await startStationApp(config, log, { restApi: startRestApi });
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      console.error(e.message);
      process.exit(EXIT_DATA_DIR_LOCKED);
    }
    throw e;
  }
  log.info(`Headless mode: API docs at ${app.restUrl}/docs; stop with Ctrl+C`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    await app.stop(); // the print on the KKT now is recorded before anything closes
    log.info('Stopped cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e: Error) => {
  console.error(`Cashier Station failed to start: ${e.message}`);
  process.exit(1);
});

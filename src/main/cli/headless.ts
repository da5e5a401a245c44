// `npm run headless`: the station with no window: the core, the REST API on 127.0.0.1 and the sync
// worker, logging to the data directory. Stops gracefully on SIGTERM/SIGINT.
// Exit codes (app/start-failure.ts): 0 stopped by a signal, 1 failed to start, 2 a bad setting, 3 another
// station already runs on the data directory (core/data-dir.ts; the message names it). A closed
// stdout/stderr only silences the console (core/logger.ts).
import { loadConfig } from '../core/config.ts';
import { fileLogger } from '../core/logger.ts';
import { runConsoleHost } from '../app/start-failure.ts';
import { startStationApp } from '../app/station-app.ts';
import { startRestApi } from '../rest/rest-api.ts';

runConsoleHost('Cashier Station', async () => {
  const config = loadConfig();
  const log = fileLogger(config.dataDir);
  const app = await startStationApp(config, log, { restApi: startRestApi });
  log.info(`Headless mode: API docs at ${app.restUrl}/docs; stop with Ctrl+C`);
  return async (signal) => {
    log.info(`${signal}: stopping`);
    await app.stop(); // the print on the KKT now is recorded before anything closes
    log.info('Stopped cleanly');
  };
});

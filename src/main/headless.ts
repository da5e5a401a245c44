// `npm run headless`: the station with no window: the core, the REST API on 127.0.0.1 and the sync
// worker, logging to the data directory. Stops gracefully on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './core/config.ts';
import { fileLogger } from './core/logger.ts';
import { Station } from './core/station.ts';
import { startRestApi } from './core/api/rest-api.ts';

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
  const station = await Station.open(config, log);
  const api = await startRestApi(station, { port: config.apiPort, token: config.apiToken, log });
  station.start();
  log.info(`Cashier Station headless: REST API on ${api.url} (docs ${api.url}/docs), data in ${config.dataDir}, KKT: ${station.kkt.label}, OFD: ${config.ofdUrl}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    await station.fiscal.close(); // the print on the KKT now is recorded before anything closes
    await api.close();
    await station.stop();
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

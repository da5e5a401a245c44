// `npm run web`: starts the browser host (host.ts) and prints the link to open, token included, on a
// line of its own on stdout ("Open http://127.0.0.1:PORT/?token=…"): people copy it, tests parse it.
// Not in the log file: the token is a secret. A bad setting or a missing renderer build exits 2 with one
// line, another station on the same data directory exits 3 naming it (app/start-failure.ts);
// SIGTERM/SIGINT stop the station gracefully and exit 0.
import { EXIT_BAD_SETTING, runConsoleHost } from '../app/start-failure.ts';
import { startWebHost } from './host.ts';
import { MissingRendererError } from './static-files.ts';

runConsoleHost(
  'Cashier Station browser host',
  async () => {
    const host = await startWebHost();
    process.stdout.write(`Open ${host.url}\n`);
    return async (signal) => {
      console.log(`${signal}: stopping the browser host`);
      await host.close();
    };
  },
  (e) => (e instanceof MissingRendererError ? { exitCode: EXIT_BAD_SETTING, line: e.message } : null),
);

// Runs the mock OFD as a process: `npm run ofd-mock -- --port 8090` or `tsx src/ofd-mock/cli.ts --help`.
// Prints exactly one line on stdout once it listens, so scripts can wait for it.

import { parseArgs } from 'node:util';
import {
  OFD_MOCK_MODES,
  OfdMockInputError,
  startOfdMock,
  type OfdMock,
  type OfdMockModeName,
} from './server.ts';
import { startFnPortMock, type FnPortMock } from './fn-server.ts';

const DEFAULT_PORT = 8090;

const HELP = `Mock OFD server (fiscal data operator) for Cashier Station development and tests.

Usage: tsx src/ofd-mock/cli.ts [options]

Options:
  --port N          port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host H          address to bind (default 127.0.0.1)
  --token T         require "Authorization: Bearer T" on POST /ofd/v1/receipt
  --mode M          start in fault mode M: ${OFD_MOCK_MODES.join(', ')} (default up)
  --latency-ms N    delay every receipt answer by N ms
  --fn-port N       also listen on TCP port N for the FN's messages (a KKT, or a
                    station relaying for one: STATION_OFD_SERVER=HOST:N); 0 picks a free one
  -h, --help        show this help

Prints "OFD mock listening on http://HOST:PORT" (and ", FN port HOST:N") when ready; stops on SIGINT or SIGTERM.
Change faults at run time with POST /ofd/v1/_test/mode (see docs/ofd-mock.md).`;

class UsageError extends Error {}

interface CliOptions {
  port: number;
  host: string;
  token: string | undefined;
  mode: OfdMockModeName;
  latencyMs: number;
  fnPort: number | null;
  help: boolean;
}

function parseInteger(flag: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max) {
    throw new UsageError(`${flag} must be an integer from 0 to ${max}, got "${value}"`);
  }
  return Number(value);
}

function parseCli(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string' },
        mode: { type: 'string' },
        'latency-ms': { type: 'string' },
        'fn-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    // parseArgs explains unknown flags, missing values and stray arguments well enough.
    throw new UsageError((err as Error).message);
  }
  const mode = values.mode ?? 'up';
  if (!(OFD_MOCK_MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`--mode must be one of ${OFD_MOCK_MODES.join(', ')}, got "${mode}"`);
  }
  if (values.host === '') throw new UsageError('--host must not be empty');
  if (values.token === '')
    throw new UsageError('--token must not be empty (leave it out to accept any caller)');
  return {
    port: parseInteger('--port', values.port, DEFAULT_PORT, 65535),
    host: values.host ?? '127.0.0.1',
    token: values.token,
    mode: mode as OfdMockModeName,
    latencyMs: parseInteger('--latency-ms', values['latency-ms'], 0, 600_000),
    fnPort: values['fn-port'] === undefined ? null : parseInteger('--fn-port', values['fn-port'], 0, 65535),
    help: values.help ?? false,
  };
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`ofd-mock: ${err.message}\nRun with --help for usage.`);
    process.exit(2);
  }
  if (options.help) {
    console.log(HELP);
    return;
  }

  let mock: OfdMock;
  let fnPort: FnPortMock | undefined;
  try {
    if (options.fnPort !== null) fnPort = await startFnPortMock({ port: options.fnPort, host: options.host });
    mock = await startOfdMock({
      ...(fnPort ? { fnPort } : {}),
      port: options.port,
      host: options.host,
      ...(options.token !== undefined ? { token: options.token } : {}),
    });
    mock.setMode({ mode: options.mode, latency_ms: options.latencyMs });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (err instanceof OfdMockInputError) console.error(`ofd-mock: ${err.message}`);
    else if (e.code === 'EADDRINUSE')
      console.error(
        `ofd-mock: ${options.host}:${(e as { port?: number }).port ?? options.port} is already in use`,
      );
    else if (e.code === 'EADDRNOTAVAIL')
      console.error(`ofd-mock: cannot bind ${options.host}: no such local address`);
    else console.error(`ofd-mock: cannot start: ${e.message}`);
    process.exit(1);
  }
  console.log(`OFD mock listening on ${mock.url}${fnPort ? `, FN port ${options.host}:${fnPort.port}` : ''}`);

  const stop = (signal: string): void => {
    console.error(`ofd-mock: ${signal}, stopping`);
    Promise.all([mock.close(), fnPort?.close()]).then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`ofd-mock: error while stopping: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

// Not a top-level await: the CommonJS bundle (dist/ofd-mock/ofd-mock.cjs, `npm run ofd-mock`) has none.
main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

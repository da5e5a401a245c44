// Test fixtures: a real station (SQLite file in a temp dir, emulated KKT, mock OFD on loopback, REST
// API on a free loopback port) built exactly as production builds it, torn down after the test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { loadConfig } from '../../src/main/core/config.ts';
import { silentLogger, type Logger } from '../../src/main/core/logger.ts';
import { Station } from '../../src/main/core/station.ts';
import { startRestApi, type RestApi } from '../../src/main/rest/rest-api.ts';
import { startOfdMock, type OfdMock } from '../../src/ofd-mock/server.ts';
import type { Kkt } from '../../src/main/core/kkt/kkt.ts';
import { openConfiguredKkt } from '../../src/main/app/open-kkt.ts';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export function tempDir(t: TestContext, prefix = 'station-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Fixture {
  station: Station;
  api: RestApi;
  ofd: OfdMock;
  dataDir: string;
  /** Calls the REST API with the token. */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  sale(key: string, body?: unknown): Promise<{ status: number; body: any }>;
}

export interface FixtureOptions {
  env?: Record<string, string>;
  kkt?: (dataDir: string) => Promise<Kkt>;
  /** Start the sync worker (default true). Tests that drive syncNow() themselves can keep it idle. */
  startWorker?: boolean;
  dataDir?: string;
  ofd?: OfdMock;
  /** The station's, the KKT's and the REST API's logger (default silent); a test of the log passes fileLogger. */
  log?: Logger;
}

export async function startFixture(t: TestContext, opts: FixtureOptions = {}): Promise<Fixture> {
  const dataDir = opts.dataDir ?? tempDir(t);
  const ofd = opts.ofd ?? (await startOfdMock());
  if (!opts.ofd) t.after(() => ofd.close());
  const config = loadConfig({
    STATION_DATA_DIR: dataDir,
    STATION_API_PORT: '0',
    STATION_API_TOKEN: TEST_TOKEN,
    STATION_OFD_URL: ofd.url,
    STATION_OFD_TIMEOUT_MS: '2000',
    ...opts.env,
  });
  const log = opts.log ?? silentLogger;
  const station = await Station.open(
    config,
    log,
    opts.kkt ? await opts.kkt(dataDir) : await openConfiguredKkt(config, log),
  );
  const api = await startRestApi(station, { port: 0, token: TEST_TOKEN, log });
  if (opts.startWorker !== false) station.start();
  let stopped = false;
  t.after(async () => {
    if (stopped) return;
    stopped = true;
    await api.close();
    await station.stop();
  });

  const call: Fixture['call'] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* text answers (/metrics, /docs) stay text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    station,
    api,
    ofd,
    dataDir,
    call,
    sale: (key, body = saleBody()) => call('POST', '/v1/kkt/receipt', body, { 'idempotency-key': key }),
  };
}

/** A valid sale in the old API's shape: amounts in roubles. */
export function saleBody(overrides: Record<string, unknown> = {}) {
  return {
    pos_id: 'POS-1',
    type: 'sale',
    items: [
      { name: 'Хлеб бородинский', price: 45.5, quantity: 2, total: 91, vat_rate: '10' },
      { name: 'Молоко 3,2%', price: 89.99, quantity: 1, total: 89.99, vat_rate: 'vat22' },
    ],
    payments: [{ type: 'cash', amount: 200 }],
    ...overrides,
  };
}

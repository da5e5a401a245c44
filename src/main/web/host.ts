// The browser host: the same station as the desktop app (StationApp), with the renderer served to an
// ordinary browser on 127.0.0.1 and the renderer↔main contract (src/shared/contract.ts) carried over
// HTTP + server-sent events instead of Electron IPC:
//
//   POST /api/invoke/:name   body {"arg": …}  → the command's Result as JSON (HTTP 200 even for ok:false:
//                                               the Result carries the error, the status the transport)
//   GET  /api/events         text/event-stream: `event: <name>` + `data: <json>` per pushed event (sse.ts)
//   GET  /?token=…           exchanges the printed link's token for the session cookie (auth.ts)
//   GET  /…                  the built renderer (static-files.ts)
//
// Every request is checked first (auth.ts): Host header, then the session. The process also serves the
// integrators' REST API (src/main/rest), as every station process does. `npm run web` is cli.ts.
//
// Environment, besides the station's STATION_* variables (src/main/core/config.ts):
//   STATION_WEB_PORT   port to listen on (default 8080; 0 = any free port)
//   STATION_WEB_TOKEN  session token (default: a random one per start); at least 16 URL-safe characters
//   STATION_WEB_ROOT   directory of the built renderer (default dist/renderer)
//   STATION_WEB_CLOSE_GRACE_MS  how long a stop waits for requests in flight (default 5000; graceful-close.ts)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../core/config.ts';
import { StationError } from '../../shared/errors.ts';
import { fileLogger, type Logger } from '../core/logger.ts';
import { startStationApp, type StationApp } from '../app/station-app.ts';
import { toWireError } from '../app/wire-error.ts';
import { readJsonBody } from '../rest/http-util.ts';
import { startRestApi } from '../rest/rest-api.ts';
import { isCommandName } from '../../shared/contract.ts';
import { HostAuth, newSessionToken, OPEN_THE_PRINTED_LINK } from './auth.ts';
import { failure, send, sendHtml, sendResult } from './responses.ts';
import { EventStreams } from './sse.ts';
import { gracefulClose } from './graceful-close.ts';
import { assertRendererBuilt, DEFAULT_STATIC_ROOT, serveStatic } from './static-files.ts';

const DEFAULT_WEB_PORT = 8080;
const DEFAULT_CLOSE_GRACE_MS = 5_000;

export interface WebHostOptions {
  /** STATION_* variables (default process.env): the station's own plus STATION_WEB_*. */
  env?: NodeJS.ProcessEnv;
  /** Default: the file logger in the data directory. */
  log?: Logger;
  /** Directory of the built renderer; overrides STATION_WEB_ROOT (tests serve their own index.html). */
  staticRoot?: string;
}

export interface WebHost {
  /** The address to open, token included: http://127.0.0.1:PORT/?token=TOKEN */
  readonly url: string;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly token: string;
  readonly app: StationApp;
  /** Event streams open now (diagnostics; tests check disconnects are cleaned up). */
  eventStreams(): number;
  /** Graceful stop: ends event streams and idle connections at once, lets requests in flight answer,
   * then stops the station. Safe to call twice. */
  close(): Promise<void>;
}

const WEB_PORT = z.coerce.number().int().min(0).max(65535);
const CLOSE_GRACE = z.coerce.number().int().min(0).max(600_000);
const WEB_TOKEN = z.string().regex(/^[A-Za-z0-9._~-]{16,256}$/, {
  error: 'must be 16 to 256 URL-safe characters (letters, digits, . _ ~ -)',
});

/** Reads STATION_WEB_*; throws ConfigError naming the variable, like loadConfig does. */
export function webSettings(env: NodeJS.ProcessEnv = process.env): {
  port: number;
  token: string | null;
  staticRoot: string;
  closeGraceMs: number;
} {
  const value = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const port = value('STATION_WEB_PORT');
  const portCheck = WEB_PORT.safeParse(port ?? DEFAULT_WEB_PORT);
  if (!portCheck.success)
    throw new ConfigError(`STATION_WEB_PORT=${JSON.stringify(port)}: ${portCheck.error.issues[0]!.message}.`);
  const grace = value('STATION_WEB_CLOSE_GRACE_MS');
  const graceCheck = CLOSE_GRACE.safeParse(grace ?? DEFAULT_CLOSE_GRACE_MS);
  if (!graceCheck.success)
    throw new ConfigError(
      `STATION_WEB_CLOSE_GRACE_MS=${JSON.stringify(grace)}: must be a whole number of milliseconds, 0 to 600000.`,
    );
  const token = value('STATION_WEB_TOKEN');
  if (token !== undefined) {
    const tokenCheck = WEB_TOKEN.safeParse(token);
    // The value itself is a secret: name the variable, not its content.
    if (!tokenCheck.success)
      throw new ConfigError(`STATION_WEB_TOKEN: ${tokenCheck.error.issues[0]!.message}.`);
  }
  return {
    port: portCheck.data,
    token: token ?? null,
    staticRoot: resolve(value('STATION_WEB_ROOT') ?? DEFAULT_STATIC_ROOT),
    closeGraceMs: graceCheck.data,
  };
}

export async function startWebHost(opts: WebHostOptions = {}): Promise<WebHost> {
  const env = opts.env ?? process.env;
  const settings = webSettings(env);
  const staticRoot = resolve(opts.staticRoot ?? settings.staticRoot);
  assertRendererBuilt(staticRoot);
  const config = loadConfig(env);
  const log = opts.log ?? fileLogger(config.dataDir);
  const token = settings.token ?? newSessionToken();

  const app = await startStationApp(config, log, { host: 'browser', restApi: startRestApi });
  const streams = new EventStreams(app, log);
  let auth: HostAuth | null = null; // once listening: the port may be 0 until then

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // The path only: the query of the token link carries the session token.
      const { status, error } = toWireError(
        e,
        log,
        `Web host: ${req.method} ${(req.url ?? '/').split('?')[0]}`,
      );
      if (!res.headersSent) sendResult(res, status, { ok: false, error });
      else res.destroy();
    });
  });
  const closer = gracefulClose(server, settings.closeGraceMs);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (closer.stopping()) {
      // Nothing new starts once the stop began (an event stream would hold it open); the page retries.
      sendResult(res, 503, failure('stopping', 'The station is stopping; send it again once it is back.'), {
        connection: 'close',
      });
      return;
    }
    if (!auth?.isOurHost(req)) {
      send(res, 421, 'text/plain; charset=utf-8', 'Misdirected request');
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));

    if (req.method === 'GET' && rawPath === '/' && query.has('token')) {
      auth.exchangeToken(res, query.get('token') ?? '');
      return;
    }
    if (!auth.authorized(req)) {
      if (rawPath.startsWith('/api/'))
        sendResult(
          res,
          401,
          failure(
            'unauthorized',
            'Нет доступа: откройте ссылку с токеном, которую станция напечатала при запуске.',
          ),
        );
      else sendHtml(res, 401, 'Нужна ссылка с токеном', OPEN_THE_PRINTED_LINK);
      return;
    }

    if (rawPath.startsWith('/api/invoke/')) {
      await invoke(req, res, auth, rawPath.slice('/api/invoke/'.length));
      return;
    }
    if (rawPath === '/api/events') {
      if (req.method !== 'GET') {
        sendResult(res, 405, failure('method_not_allowed', 'Use GET for /api/events.'), { allow: 'GET' });
        return;
      }
      streams.open(req, res);
      return;
    }
    if (rawPath.startsWith('/api/')) {
      sendResult(res, 404, failure('not_found', `No such endpoint: ${rawPath}`));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed', { allow: 'GET, HEAD' });
      return;
    }
    serveStatic(req, res, staticRoot, rawPath);
  }

  async function invoke(
    req: IncomingMessage,
    res: ServerResponse,
    auth: HostAuth,
    encodedName: string,
  ): Promise<void> {
    if (req.method !== 'POST') {
      sendResult(res, 405, failure('method_not_allowed', 'Use POST for /api/invoke/:name.'), {
        allow: 'POST',
      });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !auth.isOurOrigin(origin)) {
      sendResult(res, 403, failure('forbidden_origin', `Requests from ${origin} are not accepted.`));
      return;
    }
    // A form or a "simple" cross-site request cannot send JSON without a CORS preflight we never grant.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      sendResult(
        res,
        415,
        failure('unsupported_media_type', 'Send the body as application/json: {"arg": …}.'),
      );
      return;
    }
    let name: string;
    try {
      name = decodeURIComponent(encodedName);
    } catch {
      name = encodedName;
    }
    if (!isCommandName(name)) {
      sendResult(res, 404, failure('unknown_command', `Unknown command ${JSON.stringify(name)}.`));
      return;
    }
    const body = await readJsonBody(req); // a body too large or not JSON throws its StationError: the wire error answers
    if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
      sendResult(res, 400, failure('bad_request', 'The body must be a JSON object: {"arg": …}.'));
      return;
    }
    const result = await app.handle(name, (body as { arg?: unknown } | undefined)?.arg);
    sendResult(res, 200, result);
  }

  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(settings.port, '127.0.0.1', () => {
        server.off('error', fail);
        ok();
      });
    });
  } catch (e) {
    await app.stop();
    throw new StationError(
      'web_port_busy',
      500,
      `The browser host could not listen on 127.0.0.1:${settings.port} (${(e as Error).message}). Set STATION_WEB_PORT to a free port (0 = any).`,
    );
  }
  const { port } = server.address() as AddressInfo;
  auth = new HostAuth(token, port);
  const origin = `http://127.0.0.1:${port}`;
  log.info(
    `Browser host on ${origin} (renderer from ${staticRoot}), REST API on ${app.restUrl}, data in ${config.dataDir}`,
  );

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    app,
    eventStreams: () => streams.size,
    close() {
      closing ??= (async () => {
        streams.closeAll();
        await closer.close();
        await app.stop();
        log.info('Browser host stopped');
      })();
      return closing;
    },
  };
}

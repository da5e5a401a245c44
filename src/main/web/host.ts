// `npm run web`: the browser host. The same core as the desktop app (StationApp), with the renderer
// served to an ordinary browser on 127.0.0.1 and the renderer↔main contract (src/shared/contract.ts)
// carried over HTTP + server-sent events instead of Electron IPC:
//
//   POST /api/invoke/:name   body {"arg": …}  → the command's Result as JSON (HTTP 200 even for ok:false:
//                                               the Result carries the error, the status the transport)
//   GET  /api/events         text/event-stream: `event: <name>` + `data: <json>` per pushed event
//   GET  /?token=…           exchanges the printed link's token for an HttpOnly SameSite=Strict cookie
//   GET  /…                  the built renderer (dist/renderer)
//
// Only someone holding the printed link gets in: every request but the token exchange needs the session
// cookie (or `Authorization: Bearer <token>`); POSTs must be JSON and, when the browser sends an Origin,
// come from this host's own origin, so another page in the same browser cannot drive the till (CSRF);
// the Host header must name this loopback address (DNS rebinding).
//
// Environment, besides the station's STATION_* variables (src/main/core/config.ts):
//   STATION_WEB_PORT   port to listen on (default 8080; 0 = any free port)
//   STATION_WEB_TOKEN  session token (default: a random one per start); at least 16 URL-safe characters
//   STATION_WEB_ROOT   directory of the built renderer (default dist/renderer)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, createReadStream, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../core/config.ts';
import { StationError } from '../core/errors.ts';
import { fileLogger, type Logger } from '../core/logger.ts';
import { readJsonBody, sendJson } from '../rest/http-util.ts';
import { startRestApi } from '../rest/rest-api.ts';
import { startStationApp, type StationApp } from '../app/station-app.ts';
import { isCommandName, isEventName, type Result } from '../../shared/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';

export const DEFAULT_WEB_PORT = 8080;
export const DEFAULT_STATIC_ROOT = fileURLToPath(new URL('../../../dist/renderer/', import.meta.url));
const HEARTBEAT_MS = 15_000;
/** An SSE client that stops reading is dropped once this much is queued for it, not buffered forever. */
const MAX_SSE_BACKLOG_BYTES = 1024 * 1024;
const CLOSE_GRACE_MS = 5_000;

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The renderer has not been built: a one-line instruction, not a stack trace. */
export class MissingRendererError extends Error {
  constructor(root: string) {
    super(`The renderer is not built (no ${resolve(root, 'index.html')}): run npm run build:renderer first.`);
    this.name = 'MissingRendererError';
  }
}

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
  /** Graceful stop: closes event streams and the server, then stops the station. Safe to call twice. */
  close(): Promise<void>;
}

const WEB_PORT = z.coerce.number().int().min(0).max(65535);
const WEB_TOKEN = z.string().regex(/^[A-Za-z0-9._~-]{16,256}$/, { error: 'must be 16 to 256 URL-safe characters (letters, digits, . _ ~ -)' });

/** Reads STATION_WEB_*; throws ConfigError naming the variable, like loadConfig does. */
export function webSettings(env: NodeJS.ProcessEnv = process.env): { port: number; token: string | null; staticRoot: string } {
  const value = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const port = value('STATION_WEB_PORT');
  const portCheck = WEB_PORT.safeParse(port ?? DEFAULT_WEB_PORT);
  if (!portCheck.success) throw new ConfigError(`STATION_WEB_PORT=${JSON.stringify(port)}: ${portCheck.error.issues[0]!.message}.`);
  const token = value('STATION_WEB_TOKEN');
  if (token !== undefined) {
    const tokenCheck = WEB_TOKEN.safeParse(token);
    // The value itself is a secret: name the variable, not its content.
    if (!tokenCheck.success) throw new ConfigError(`STATION_WEB_TOKEN: ${tokenCheck.error.issues[0]!.message}.`);
  }
  return { port: portCheck.data, token: token ?? null, staticRoot: resolve(value('STATION_WEB_ROOT') ?? DEFAULT_STATIC_ROOT) };
}

export async function startWebHost(opts: WebHostOptions = {}): Promise<WebHost> {
  const env = opts.env ?? process.env;
  const settings = webSettings(env);
  const staticRoot = resolve(opts.staticRoot ?? settings.staticRoot);
  // Checked before anything starts: a missing build is a set-up mistake, not a runtime failure.
  if (!existsSync(resolve(staticRoot, 'index.html'))) throw new MissingRendererError(staticRoot);
  const config = loadConfig(env);
  const log = opts.log ?? fileLogger(config.dataDir);
  const token = settings.token ?? randomBytes(24).toString('base64url');

  const app = await startStationApp(config, log, { host: 'browser', restApi: startRestApi });
  const streams = new Set<ServerResponse>();
  // Filled in once listening: the port may be 0 until then.
  const self = { port: 0, origins: new Set<string>(), hosts: new Set<string>(), cookieName: '' };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // The path only: the query of the token link carries the session token.
      log.error(`Web host: ${req.method} ${(req.url ?? '/').split('?')[0]} failed: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a foreign name resolving to 127.0.0.1 must not reach us with the victim's browser.
    if (!self.hosts.has((req.headers.host ?? '').toLowerCase())) {
      send(res, 421, 'text/plain; charset=utf-8', 'Misdirected request');
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));

    if (req.method === 'GET' && rawPath === '/' && query.has('token')) {
      if (!sameSecret(query.get('token') ?? '', token)) {
        sendHtml(res, 401, 'Ссылка устарела или неверна', 'Откройте адрес, который кассовая станция напечатала при запуске (строка «Open http://127.0.0.1:…»).');
        return;
      }
      // The token leaves the address bar at once; from here on the cookie carries the session.
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        location: '/',
        'cache-control': 'no-store',
        'set-cookie': `${self.cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
      res.end();
      return;
    }

    if (!authorized(req)) {
      if (rawPath.startsWith('/api/')) sendResult(res, 401, failure('unauthorized', 'Нет доступа: откройте ссылку с токеном, которую станция напечатала при запуске.'));
      else sendHtml(res, 401, 'Нужна ссылка с токеном', 'Откройте адрес, который кассовая станция напечатала при запуске (строка «Open http://127.0.0.1:…»).');
      return;
    }

    if (rawPath.startsWith('/api/invoke/')) {
      await invoke(req, res, rawPath.slice('/api/invoke/'.length));
      return;
    }
    if (rawPath === '/api/events') {
      if (req.method !== 'GET') {
        sendResult(res, 405, failure('method_not_allowed', 'Use GET for /api/events.'), { allow: 'GET' });
        return;
      }
      events(req, res);
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
    serveStatic(req, res, rawPath);
  }

  function authorized(req: IncomingMessage): boolean {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (bearer) return sameSecret(bearer[1]!.trim(), token);
    return sameSecret(cookie(req, self.cookieName) ?? '', token);
  }

  async function invoke(req: IncomingMessage, res: ServerResponse, encodedName: string): Promise<void> {
    if (req.method !== 'POST') {
      sendResult(res, 405, failure('method_not_allowed', 'Use POST for /api/invoke/:name.'), { allow: 'POST' });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !self.origins.has(origin)) {
      sendResult(res, 403, failure('forbidden_origin', `Requests from ${origin} are not accepted.`));
      return;
    }
    // A form or a "simple" cross-site request cannot send JSON without a CORS preflight we never grant.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      sendResult(res, 415, failure('unsupported_media_type', 'Send the body as application/json: {"arg": …}.'));
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
    let body: unknown;
    try {
      body = await readJsonBody(req);
    } catch (e) {
      if (e instanceof StationError) sendResult(res, e.httpStatus, failure(e.code, e.message));
      else throw e;
      return;
    }
    if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
      sendResult(res, 400, failure('bad_request', 'The body must be a JSON object: {"arg": …}.'));
      return;
    }
    const result = await app.handle(name, (body as { arg?: unknown } | undefined)?.arg);
    sendResult(res, 200, result);
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
    });
    // The browser's EventSource reconnects by itself; tell it not to wait long.
    res.write('retry: 2000\n\n');
    streams.add(res);
    const write = (chunk: string) => {
      if (res.writableLength > MAX_SSE_BACKLOG_BYTES) {
        log.warn('Web host: an event stream stopped reading; dropping it (the browser reconnects)');
        res.destroy();
        return;
      }
      res.write(chunk);
    };
    const unsubscribe = app.onEvent((name, payload) => {
      if (!isEventName(name)) return;
      write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    // Proxies and idle timers close silent connections; a comment line keeps it open and detects the dead.
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), HEARTBEAT_MS);
    const cleanup = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, rawPath: string): void {
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      send(res, 400, 'text/plain; charset=utf-8', 'Bad request');
      return;
    }
    // Refuse rather than normalise: no legitimate asset path has a dot segment, a backslash or a NUL.
    const segments = path.split('/');
    if (path.includes('\0') || path.includes('\\') || segments.some((s) => s === '..' || s === '.')) {
      send(res, 400, 'text/plain; charset=utf-8', 'Bad request');
      return;
    }
    const file = resolve(staticRoot, `.${path === '/' ? '/index.html' : path}`);
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      send(res, 400, 'text/plain; charset=utf-8', 'Bad request');
      return;
    }
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found');
      return;
    }
    const isIndex = file === resolve(staticRoot, 'index.html');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(size),
      // Vite's hashed assets never change under the same name; index.html names the current ones.
      'cache-control': !isIndex && path.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-store',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
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
    throw new StationError('web_port_busy', 500, `The browser host could not listen on 127.0.0.1:${settings.port} (${(e as Error).message}). Set STATION_WEB_PORT to a free port (0 = any).`);
  }
  self.port = (server.address() as AddressInfo).port;
  self.origins = new Set([`http://127.0.0.1:${self.port}`, `http://localhost:${self.port}`]);
  self.hosts = new Set([`127.0.0.1:${self.port}`, `localhost:${self.port}`]);
  // Cookies are not scoped by port: two hosts on one machine must not overwrite each other's session.
  self.cookieName = `station_session_${self.port}`;
  const origin = `http://127.0.0.1:${self.port}`;
  log.info(`Browser host on ${origin} (renderer from ${staticRoot}), REST API on ${app.restUrl}, data in ${config.dataDir}`);

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    app,
    eventStreams: () => streams.size,
    close() {
      closing ??= (async () => {
        // An event stream never ends by itself; its socket goes with it so close() need not wait.
        for (const res of streams) res.end(() => res.socket?.destroy());
        streams.clear();
        await closeServer(server);
        await app.stop();
        log.info('Browser host stopped');
      })();
      return closing;
    },
  };
}

/** Lets requests in flight finish (a sale being printed), then cuts whatever still hangs on. */
function closeServer(server: Server): Promise<void> {
  return new Promise((ok) => {
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    server.close(() => {
      clearTimeout(force);
      ok();
    });
    // Idle keep-alive sockets would otherwise hold close() open until they time out.
    server.closeIdleConnections();
  });
}

function failure(code: string, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function sendResult(res: ServerResponse, status: number, result: Result<unknown>, headers: Record<string, string> = {}): void {
  sendJson(res, status, result, { ...SECURITY_HEADERS, ...headers });
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function sendHtml(res: ServerResponse, status: number, title: string, text: string): void {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  send(res, status, 'text/html; charset=utf-8', `<!doctype html><html lang="ru"><meta charset="utf-8"><title>${esc(title)}</title><h1>${esc(title)}</h1><p>${esc(text)}</p></html>`);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Constant-time comparison of secrets of possibly different lengths. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function main(): Promise<void> {
  let host: WebHost;
  try {
    host = await startWebHost();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(2);
    }
    if (e instanceof MissingRendererError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  // On a line of its own and to stdout: people copy it, tests and scripts parse it. Not in the log file:
  // the token is a secret.
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

// Run as a program (`node --import tsx src/main/web/host.ts`), not when a test imports startWebHost.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((e: Error) => {
    console.error(`Cashier Station browser host failed to start: ${e.message}`);
    process.exit(1);
  });
}

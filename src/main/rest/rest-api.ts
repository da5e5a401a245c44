// The local REST API for integrators (a web POS or ERP on the same machine): the old service's
// endpoints and field names, on 127.0.0.1 only, every call but the docs behind a bearer token. A failure
// is the app's one wire error (src/main/app/wire-error.ts), in the old body shape {error, message, details?}.
//
// The operations live by concern (routes-receipts.ts, routes-shift.ts, routes-station.ts), each declared
// with its zod schemas (operations.ts); this file is the router: it checks the Host header (loopback
// names only: a DNS-rebinding page in a browser must not reach the till), finds the operation, checks
// the token, decodes and validates the path, the query and the body with the operation's schemas, and
// turns anything thrown into {error, message}. Nothing a client sends can make it answer 5xx except a
// real fault (a KKT or OFD answer, a bug).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Station } from '../core/station.ts';
import { BadRequestError, NotFoundError, StationError } from '../../shared/errors.ts';
import { hasBearer, readJsonBody, sendJson, sendText } from './http-util.ts';
import { openApiDocument, docsPage } from './openapi.ts';
import type { Logger } from '../core/logger.ts';
import { toWireError } from '../app/wire-error.ts';
import { operation, queryObject, validate, RequestValidationError, type Operation } from './operations.ts';
import { receiptIdParam } from './schemas.ts';
import { receiptOperations } from './routes-receipts.ts';
import { shiftOperations } from './routes-shift.ts';
import { drawerOperations } from './routes-drawer.ts';
import { catalogOperations } from './routes-catalog.ts';
import { quickKeyOperations } from './routes-quick-keys.ts';
import { cashierOperations } from './routes-cashiers.ts';
import { stationOperations } from './routes-station.ts';

export { fiscalDocView, receiptView } from './views.ts';

/** Host names the API answers to: loopback only, any port (an ssh tunnel may change the port, not the name). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for an absent Host (HTTP/1.0 tools; browsers always send one) or a loopback name. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(host.trim());
  return m !== null && LOOPBACK_HOSTS.has(m[1]!.toLowerCase().replace(/\.$/, ''));
}

/** Every operation of the API, docs included, in the order the docs list them. */
export function restOperations(station: Station): Operation[] {
  const ops: Operation[] = [
    ...receiptOperations(station),
    ...stationOperations(station),
    ...shiftOperations(station),
    ...drawerOperations(station),
    ...catalogOperations(station),
    ...quickKeyOperations(station),
    ...cashierOperations(station),
  ];
  ops.push(
    operation({
      method: 'GET',
      path: '/openapi.json',
      summary: 'This description (OpenAPI 3.0)',
      auth: false,
      responses: { 200: { description: 'The OpenAPI document', contentType: 'application/json' } },
      async handler({ res }) {
        sendJson(res, 200, openApiDocument(ops));
      },
    }),
    operation({
      method: 'GET',
      path: '/docs',
      summary: 'This description as a page',
      auth: false,
      responses: { 200: { description: 'HTML', contentType: 'text/html' } },
      async handler({ res }) {
        sendText(res, 200, 'text/html; charset=utf-8', docsPage(ops));
      },
    }),
  );
  return ops;
}

interface Route {
  op: Operation;
  pattern: RegExp;
}

export interface RestApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startRestApi(
  station: Station,
  opts: { port: number; token: string; log: Logger },
): Promise<RestApi> {
  const { token, log } = opts;
  const routes: Route[] = restOperations(station).map((op) => ({
    op,
    pattern: new RegExp(`^${op.path.replace(/\{\w+\}/g, '([^/]+)')}$`),
  }));
  const server = createServer((req, res) => {
    void (async () => {
      let where = `REST ${req.method}`;
      try {
        if (!isLoopbackHost(req.headers.host))
          throw new StationError(
            'forbidden_host',
            421,
            `Host ${JSON.stringify(req.headers.host)} is not accepted: the API answers only 127.0.0.1, localhost and [::1] (a page on another name must not reach the till). Call http://127.0.0.1:<port>/ directly.`,
          );
        let url: URL;
        try {
          url = new URL(req.url ?? '/', 'http://127.0.0.1');
        } catch {
          throw new BadRequestError('The request target is not a valid URL path.');
        }
        where = `REST ${req.method} ${url.pathname}`;
        await dispatch(req, res, url);
      } catch (e) {
        const { status, error } = toWireError(e, log, where);
        if (res.headersSent) {
          res.destroy(); // an answer was already under way: cut it rather than append a second one
          return;
        }
        const body =
          error.details === undefined
            ? { error: error.code, message: error.message }
            : { error: error.code, message: error.message, details: error.details };
        sendJson(res, status, body, status === 401 ? { 'www-authenticate': 'Bearer' } : {});
      }
    })();
  });

  async function dispatch(req: IncomingMessage, res: Parameters<Operation['handler']>[0]['res'], url: URL) {
    const candidates = routes.filter((r) => r.pattern.test(url.pathname));
    const match = candidates.find((r) => r.op.method === req.method);
    if (!match) {
      if (candidates.length)
        throw new StationError(
          'method_not_allowed',
          405,
          `${req.method} is not allowed on ${url.pathname}; use ${candidates.map((r) => r.op.method).join(' or ')}.`,
        );
      throw new NotFoundError(
        `No endpoint ${req.method} ${url.pathname}. The API is described at /docs and /openapi.json.`,
      );
    }
    const { op } = match;
    if (op.auth !== false && !hasBearer(req, token)) {
      throw new StationError(
        'unauthorized',
        401,
        'Missing or wrong token: send Authorization: Bearer <token>. The token is in the station data directory (api-token) or STATION_API_TOKEN.',
      );
    }
    let id = '';
    const raw = match.pattern.exec(url.pathname)![1];
    if (raw !== undefined) {
      try {
        id = decodeURIComponent(raw);
      } catch {
        throw new BadRequestError(
          op.pathParam
            ? `The ${op.pathParam.name} in the path has a malformed percent-encoding (${raw.slice(0, 80)}).`
            : `The receipt id in the path has a malformed percent-encoding (${raw.slice(0, 80)}). Use the receipt_id POST /v1/kkt/receipt answered.`,
        );
      }
      const checked = (op.pathParam?.schema ?? receiptIdParam).safeParse(id);
      if (!checked.success)
        throw new RequestValidationError(
          checked.error.issues.map((i) => ({
            field: `path.${op.pathParam?.name ?? 'id'}`,
            message: i.message,
          })),
        );
    }
    const query = op.query ? validate(op.query, queryObject(op.query, url.searchParams), 'query') : undefined;
    let body: unknown;
    if (op.body) {
      body = await readJsonBody(req);
      if (op.body.validate !== false)
        body = validate(op.body.schema, body === undefined && !op.body.required ? {} : body, 'body');
    }
    const key = req.headers['idempotency-key'];
    const pin = op.managerPin ? req.headers['x-manager-pin'] : undefined;
    await op.handler({
      req,
      res,
      id,
      query,
      body,
      idempotencyKey: Array.isArray(key) ? key[0] : key,
      managerPin: Array.isArray(pin) ? pin[0] : pin,
    });
  }

  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

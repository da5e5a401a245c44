// Mock OFD (fiscal data operator) for development and tests. It speaks the station's OFD contract
// (docs/ofd-mock.md, «The OFD contract»): POST /ofd/v1/receipt with an Idempotency-Key, deduplicated by that key. Control
// endpoints under /ofd/v1/_test let a test or a developer inject faults (down, fail next N, a given
// status, Retry-After, latency, random failures, hang) and inspect what arrived. The same controls are
// available in-process on the returned handle.
//
// It is a product of its own: it imports nothing from the station, so its contract is checked against
// the station's client over real HTTP rather than shared types.
// Over 400 lines: the OFD contract and its fault modes are one state machine a test drives through the
// control endpoints; splitting them would split that state.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FN_PORT_MODES, type FnPortMock, type FnPortMode } from './fn-server.ts';
import {
  PERMIT_API,
  PermitInputError,
  initialPermitState,
  parsePermitMode,
  permitAnswer,
  type PermitMockState,
  type PermitModeInput,
} from './permit.ts';

export const OFD_MOCK_MODES = ['up', 'down', 'fail_next', 'hang'] as const;
export type OfdMockModeName = (typeof OFD_MOCK_MODES)[number];

/** Body of POST /ofd/v1/_test/mode and argument of `setMode`; each call replaces the whole fault setup. */
export interface OfdMockModeInput {
  mode: OfdMockModeName;
  /** fail_next only: how many receipt calls fail before the mock is up again (default 1). */
  count?: number;
  /** HTTP status of injected failures, 400..599 (default 503). */
  status?: number;
  /** Delay before every receipt answer, failures included (default 0). */
  latency_ms?: number;
  /** Adds `Retry-After: N` to injected failures; with status 429 this is the rate-limit case. */
  retry_after_s?: number;
  /** Share of receipt calls (0..1) that fail at random with `status` while the mock is up (default 0). */
  failure_rate?: number;
}

/** The fault setup in force, as reported by health. */
export interface OfdMockFaults {
  mode: OfdMockModeName;
  /** Failures left in mode fail_next (0 otherwise). */
  fail_next_remaining: number;
  status: number;
  latency_ms: number;
  retry_after_s: number | null;
  failure_rate: number;
}

export interface OfdMockHealth {
  /** What a receipt call would meet now: up, degraded (fail_next, random failures) or down (down, hang). */
  status: 'up' | 'degraded' | 'down';
  mode: OfdMockModeName;
  /** Every POST /ofd/v1/receipt, failures and rejections included. */
  call_count: number;
  /** Receipts accepted (first delivery of an Idempotency-Key). */
  receipts_received: number;
  /** Repeated deliveries answered 409. */
  duplicates: number;
  /** Calls failed on purpose by a fault mode. */
  injected_failures: number;
  faults: OfdMockFaults;
}

export interface OfdMockReceivedReceipt {
  idempotency_key: string;
  ofd_id: string;
  /** ISO 8601, the mock's clock. */
  received_at: string;
  body: Record<string, unknown>;
}

export interface OfdMockOptions {
  /** 0 (the default) picks a free port; read the result from `url`. */
  port?: number;
  /** Default 127.0.0.1: the mock is a development tool, not meant to face a network. */
  host?: string;
  /** When set, POST /ofd/v1/receipt requires `Authorization: Bearer <token>` (control endpoints stay open). */
  token?: string;
  /** Source of randomness for `failure_rate`; tests pass a scripted one to make it deterministic. */
  random?: () => number;
  /** The FN port (fn-server.ts) whose health and faults the control endpoints also serve. */
  fnPort?: FnPortMock;
}

export interface OfdMock {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Same rules as POST /ofd/v1/_test/mode; throws OfdMockInputError on an invalid setup. */
  setMode(input: OfdMockModeInput): void;
  /** Forget every receipt and counter and go back to mode up with no faults. */
  reset(): void;
  received(): OfdMockReceivedReceipt[];
  health(): OfdMockHealth;
  /** The permit service (permit.ts): same rules as POST /permit/v1/_test/mode; throws PermitInputError. */
  setPermitMode(input: PermitModeInput): void;
  /** The permit service's setup and every check request it got. */
  permit(): PermitMockState;
  /** Stops listening and destroys open sockets, hanging requests included, so tests end promptly. */
  close(): Promise<void>;
}

/** An invalid control body (HTTP 400) or setMode argument. */
export class OfdMockInputError extends Error {
  override name = 'OfdMockInputError';
}

const API = '/ofd/v1';
const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_FAILURE_STATUS = 503;

const UP: OfdMockFaults = {
  mode: 'up',
  fail_next_remaining: 0,
  status: DEFAULT_FAILURE_STATUS,
  latency_ms: 0,
  retry_after_s: null,
  failure_rate: 0,
};

/** Checks a control body and turns it into the fault setup it asks for. */
export function parseModeInput(input: unknown): OfdMockFaults {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new OfdMockInputError('Mode body must be a JSON object such as {"mode": "down"}');
  }
  const body = input as Record<string, unknown>;
  const known = ['mode', 'count', 'status', 'latency_ms', 'retry_after_s', 'failure_rate'];
  const unknown = Object.keys(body).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new OfdMockInputError(`Unknown field(s) ${unknown.join(', ')}; allowed: ${known.join(', ')}`);
  }
  const { mode } = body;
  if (typeof mode !== 'string' || !(OFD_MOCK_MODES as readonly string[]).includes(mode)) {
    throw new OfdMockInputError(
      `mode must be one of ${OFD_MOCK_MODES.join(', ')} (got ${JSON.stringify(mode)})`,
    );
  }
  const modeName = mode as OfdMockModeName;

  const intField = (name: string, min: number, max: number): number | undefined => {
    const v = body[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new OfdMockInputError(
        `${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(v)})`,
      );
    }
    return v;
  };
  const count = intField('count', 1, 1_000_000);
  const status = intField('status', 400, 599);
  const latencyMs = intField('latency_ms', 0, 600_000);
  const retryAfterS = intField('retry_after_s', 0, 86_400);
  const rate = body['failure_rate'];
  if (rate !== undefined && (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))) {
    throw new OfdMockInputError(`failure_rate must be a number from 0 to 1 (got ${JSON.stringify(rate)})`);
  }
  if (count !== undefined && modeName !== 'fail_next') {
    throw new OfdMockInputError('count only applies to mode fail_next');
  }
  if (rate !== undefined && rate > 0 && modeName !== 'up') {
    // Random failures on top of a mode that already fails or hangs every call would mean nothing.
    throw new OfdMockInputError('failure_rate only applies to mode up');
  }
  return {
    mode: modeName,
    fail_next_remaining: modeName === 'fail_next' ? (count ?? 1) : 0,
    status: status ?? DEFAULT_FAILURE_STATUS,
    latency_ms: latencyMs ?? 0,
    retry_after_s: retryAfterS ?? null,
    failure_rate: rate ?? 0,
  };
}

/** Minimal receipt validation: what the OFD needs to file a document. Returns the problems found. */
function receiptProblems(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body must be a JSON object'];
  const r = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of ['receipt_id', 'pos_id'] as const) {
    if (typeof r[field] !== 'string' || r[field] === '') problems.push(`${field} is missing`);
  }
  const fiscal = r['fiscal'];
  if (typeof fiscal !== 'object' || fiscal === null || Array.isArray(fiscal)) {
    problems.push('fiscal attributes are missing (only printed receipts go to the OFD)');
  } else {
    const f = fiscal as Record<string, unknown>;
    if (!Number.isInteger(f['fd_number'])) problems.push('fiscal.fd_number is missing');
    if (f['fiscal_sign'] === undefined || f['fiscal_sign'] === null || f['fiscal_sign'] === '') {
      problems.push('fiscal.fiscal_sign is missing');
    }
    if (typeof f['fn_number'] !== 'string' || f['fn_number'] === '')
      problems.push('fiscal.fn_number is missing');
  }
  return problems;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers?: Record<string, string>,
): void {
  sendJson(res, status, { status: 'error', message }, headers);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `Body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '') throw new HttpError(400, 'Body must be JSON, got an empty body');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, `Body is not valid JSON: ${(err as Error).message}`);
  }
}

export async function startOfdMock(opts: OfdMockOptions = {}): Promise<OfdMock> {
  const host = opts.host ?? '127.0.0.1';
  const random = opts.random ?? Math.random;

  let faults: OfdMockFaults = { ...UP };
  let callCount = 0;
  let duplicates = 0;
  let injectedFailures = 0;
  let nextOfdId = 1;
  const byKey = new Map<string, OfdMockReceivedReceipt>();
  const received: OfdMockReceivedReceipt[] = [];
  const latencyTimers = new Set<NodeJS.Timeout>();

  const health = (): OfdMockHealth => ({
    status:
      faults.mode === 'down' || faults.mode === 'hang'
        ? 'down'
        : faults.mode === 'fail_next' || faults.failure_rate > 0
          ? 'degraded'
          : 'up',
    mode: faults.mode,
    call_count: callCount,
    receipts_received: received.length,
    duplicates,
    injected_failures: injectedFailures,
    faults: { ...faults },
  });

  const setMode = (input: OfdMockModeInput): void => {
    faults = parseModeInput(input);
  };

  let permit = initialPermitState();

  const reset = (): void => {
    permit = initialPermitState();
    faults = { ...UP };
    callCount = 0;
    duplicates = 0;
    injectedFailures = 0;
    nextOfdId = 1;
    byKey.clear();
    received.length = 0;
  };

  const snapshotReceived = (): OfdMockReceivedReceipt[] =>
    received.map((r) => ({ ...r, body: structuredClone(r.body) }));

  /** Waits out latency_ms; resolves false when the client went away meanwhile. */
  const delay = (res: ServerResponse, ms: number): Promise<boolean> => {
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        latencyTimers.delete(timer);
        res.off('close', onClose);
        resolve(true);
      }, ms);
      const onClose = (): void => {
        clearTimeout(timer);
        latencyTimers.delete(timer);
        resolve(false);
      };
      latencyTimers.add(timer);
      res.once('close', onClose);
    });
  };

  /** The status of the injected failure for this call, or null when the call goes through. */
  const injectedFailure = (): number | null => {
    switch (faults.mode) {
      case 'down':
        return faults.status;
      case 'fail_next':
        faults.fail_next_remaining -= 1;
        if (faults.fail_next_remaining <= 0) faults = { ...faults, mode: 'up', fail_next_remaining: 0 };
        return faults.status;
      case 'up':
        return faults.failure_rate > 0 && random() < faults.failure_rate ? faults.status : null;
      case 'hang':
        return null;
    }
  };

  async function handleReceipt(req: IncomingMessage, res: ServerResponse): Promise<void> {
    callCount += 1;
    // Read the body first so a fault answer never races an upload still in flight.
    const text = await readBody(req);
    if (faults.mode === 'hang') return; // accepted, never answered: close() destroys the socket
    const failStatus = injectedFailure();
    if (!(await delay(res, faults.latency_ms))) return;

    if (failStatus !== null) {
      injectedFailures += 1;
      const headers: Record<string, string> =
        faults.retry_after_s !== null ? { 'Retry-After': String(faults.retry_after_s) } : {};
      sendError(res, failStatus, `OFD mock: injected failure (status ${failStatus})`, headers);
      return;
    }

    if (opts.token !== undefined && req.headers.authorization !== `Bearer ${opts.token}`) {
      const why = req.headers.authorization ? 'wrong bearer token' : 'missing Authorization: Bearer header';
      sendError(res, 401, `Unauthorized: ${why}`, { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.trim() === '') {
      sendError(res, 400, 'Idempotency-Key header is required (use the receipt id)');
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch (err) {
      sendError(res, 400, `Body is not valid JSON: ${(err as Error).message}`);
      return;
    }
    const problems = receiptProblems(body);
    if (problems.length > 0) {
      sendError(res, 422, `Invalid receipt: ${problems.join('; ')}`);
      return;
    }

    const earlier = byKey.get(key);
    if (earlier) {
      duplicates += 1;
      sendJson(res, 409, { status: 'duplicate', ofd_id: earlier.ofd_id });
      return;
    }
    const entry: OfdMockReceivedReceipt = {
      idempotency_key: key,
      ofd_id: `OFD-${String(nextOfdId++).padStart(6, '0')}`,
      received_at: new Date().toISOString(),
      body: body as Record<string, unknown>,
    };
    byKey.set(key, entry);
    received.push(entry);
    sendJson(res, 200, { status: 'accepted', ofd_id: entry.ofd_id });
  }

  type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
  const routes: Record<string, Partial<Record<string, Route>>> = {
    [`${API}/receipt`]: { POST: handleReceipt },
    [`${API}/health`]: { GET: (_req, res) => sendJson(res, 200, health()) },
    [`${API}/_test/reset`]: {
      POST: (_req, res) => {
        reset();
        sendJson(res, 200, { status: 'ok' });
      },
    },
    [`${API}/_test/received`]: { GET: (_req, res) => sendJson(res, 200, snapshotReceived()) },
    [`${PERMIT_API}/codes/check`]: {
      POST: async (req, res) => {
        const text = await readBody(req);
        if (!(await delay(res, permit.latency_ms))) return;
        const out = permitAnswer(permit, text);
        if (res.headersSent || res.destroyed) return;
        res.writeHead(out.status, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(out.text);
      },
    },
    [`${PERMIT_API}/_test/mode`]: {
      POST: async (req, res) => {
        try {
          permit = parsePermitMode(await readJson(req), permit.calls);
        } catch (err) {
          if (err instanceof PermitInputError) throw new HttpError(400, err.message);
          throw err;
        }
        sendJson(res, 200, { ...permit, calls: permit.calls.length });
      },
    },
    [`${PERMIT_API}/_test/calls`]: { GET: (_req, res) => sendJson(res, 200, permit.calls) },
    [`${API}/_test/mode`]: {
      POST: async (req, res) => {
        const input = await readJson(req);
        try {
          faults = parseModeInput(input);
        } catch (err) {
          if (err instanceof OfdMockInputError) throw new HttpError(400, err.message);
          throw err;
        }
        sendJson(res, 200, health());
      },
    },
    ...(opts.fnPort ? fnPortRoutes(opts.fnPort) : {}),
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://mock').pathname;
    const methods = routes[path];
    const route = methods?.[req.method ?? 'GET'];
    if (!methods) {
      sendError(res, 404, `No such endpoint: ${req.method} ${path}`);
      return;
    }
    if (!route) {
      sendError(res, 405, `${req.method} is not allowed on ${path}`, {
        Allow: Object.keys(methods).join(', '),
      });
      return;
    }
    Promise.resolve()
      .then(() => route(req, res))
      .catch((err: unknown) => {
        if (err instanceof HttpError) sendError(res, err.status, err.message);
        else sendError(res, 500, `OFD mock internal error: ${(err as Error).message}`);
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    setMode,
    reset,
    received: snapshotReceived,
    health,
    setPermitMode: (input) => {
      permit = parsePermitMode(input, permit.calls);
    },
    permit: () => structuredClone(permit),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of latencyTimers) clearTimeout(timer);
        latencyTimers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        // server.close() alone waits for open sockets: keep-alive ones and hanging requests.
        server.closeAllConnections();
      }),
  };
}

/** Health, received messages and faults of the FN port (docs/ofd-mock.md «The FN port»). */
function fnPortRoutes(
  fn: FnPortMock,
): Record<
  string,
  Partial<Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void> | void>>
> {
  return {
    [`${API}/fn/health`]: { GET: (_req, res) => sendJson(res, 200, { port: fn.port, ...fn.health() }) },
    [`${API}/fn/received`]: { GET: (_req, res) => sendJson(res, 200, fn.received()) },
    [`${API}/_test/fn-mode`]: {
      POST: async (req, res) => {
        const input = await readJson(req);
        const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
        const unknownKeys = Object.keys(body).filter((k) => k !== 'mode' && k !== 'count');
        if (unknownKeys.length > 0)
          throw new HttpError(400, `Unknown field(s) ${unknownKeys.join(', ')}; allowed: mode, count`);
        if (!(FN_PORT_MODES as readonly unknown[]).includes(body.mode))
          throw new HttpError(400, `mode must be one of ${FN_PORT_MODES.join(', ')}`);
        const count = body.count ?? 0;
        if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 1_000_000)
          throw new HttpError(400, 'count must be a whole number from 0 to 1000000 (0 = until changed)');
        await fn.setMode(body.mode as FnPortMode, count);
        sendJson(res, 200, { port: fn.port, ...fn.health() });
      },
    },
  };
}

// A tiny HTTP/JSON client for tests that talk to a station over real sockets, including one that may be
// killed mid-request. One connection per request (no keep-alive pool), so a killed server never leaves
// a stale pooled socket that would fail a request sent after the restart. Network trouble (refused,
// reset, closed mid-answer, timeout) rejects with ConnectionError: the caller cannot know whether the
// server acted on the request. Any HTTP answer, whatever its status, resolves.
import { request } from 'node:http';

export class ConnectionError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ConnectionError';
  }
}

export interface HttpAnswer<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
}

export function httpJson(url: string, opts: HttpOptions = {}): Promise<HttpAnswer> {
  const payload =
    opts.body === undefined
      ? undefined
      : typeof opts.body === 'string'
        ? opts.body
        : JSON.stringify(opts.body);
  const headers: Record<string, string> = {
    accept: 'application/json',
    connection: 'close',
    ...opts.headers,
  };
  if (payload !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: Error & { code?: string }) => {
      if (settled) return;
      settled = true;
      reject(
        e instanceof ConnectionError
          ? e
          : new ConnectionError(`${opts.method ?? 'GET'} ${url}: ${e.message}`, e.code),
      );
    };
    const req = request(url, { method: opts.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('aborted', () => fail(new Error('the answer was cut off')));
      res.on('end', () => {
        if (settled) return;
        if (!res.complete) return fail(new Error('the answer was cut off'));
        settled = true;
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          /* not JSON: keep the text */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', fail);
    req.setTimeout(opts.timeoutMs ?? 15_000, () => {
      fail(
        new ConnectionError(
          `${opts.method ?? 'GET'} ${url}: no answer within ${opts.timeoutMs ?? 15_000} ms`,
          'ETIMEDOUT',
        ),
      );
      req.destroy();
    });
    req.end(payload);
  });
}

/** A client bound to one station's base URL and API token. */
export class StationClient {
  constructor(
    public baseUrl: string,
    private readonly token: string,
  ) {}

  call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    timeoutMs?: number,
  ): Promise<HttpAnswer> {
    return httpJson(`${this.baseUrl}${path}`, {
      method,
      body,
      timeoutMs,
      headers: { authorization: `Bearer ${this.token}`, ...headers },
    });
  }

  createReceipt(idempotencyKey: string, body: unknown): Promise<HttpAnswer> {
    return this.call('POST', '/v1/kkt/receipt', body, { 'idempotency-key': idempotencyKey });
  }
}

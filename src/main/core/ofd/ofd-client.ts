// The station's OFD client: one HTTP call per receipt (docs/ofd-mock.md, «The OFD contract»), classified into an outcome the
// sync worker acts on. It never throws for HTTP or network trouble and keeps no state: retries, backoff,
// the circuit breaker and the DLQ live in the sync worker.
//
// An answer is read as a stream and cut off past MAX_OFD_RESPONSE_BYTES (1 MB; a real OFD answers a
// few hundred bytes): a broken or hostile server sending 300 MB must not balloon the station's memory.
//
// The transport is node:http(s) with one keep-alive agent per client, not fetch(): the sync worker runs
// on the thread that serves the sales, and fetch (undici, web streams) cost 2–3× the CPU of a plain
// request per call (about 1.1 ms against 0.45 ms measured on the dev machine). A request sent on a
// kept-alive socket the server closed meanwhile fails before any answer; it is sent once more on a new
// socket (a POST with its Idempotency-Key is safe to repeat), as Node's documentation advises.
// Such an answer is `retryable` (delivery not proven; a resend is harmless, it answers 409 with the id).
// Delivery is proven only by a usable ofd_id: a non-empty string of printable characters, at most 128.

import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { VatCode } from '../kkt/kkt.ts';
import type { OfdFailureWhy } from '../../../shared/ofd-failure.ts';

/** What the station sends for one printed receipt. snake_case: this is the JSON on the wire. */
export interface OfdReceiptPayload {
  /** The station's receipt id; also the Idempotency-Key, so a resend after a crash is harmless. */
  receipt_id: string;
  pos_id: string;
  type: 'sale' | 'refund' | 'correction';
  items: OfdReceiptItem[];
  payments: OfdPayment[];
  total_kop: number;
  fiscal: OfdFiscalAttributes;
  /** Tag 1008: the buyer's phone (+7XXXXXXXXXX) or e-mail for the electronic receipt; absent when none was given. */
  buyer_contact?: string;
  /** ISO 8601, when the station accepted the receipt. */
  created_at: string;
}

export interface OfdReceiptItem {
  name: string;
  price_kop: number;
  /** Thousandths of a unit: 1 pc = 1000, 0.250 kg = 250. */
  quantity_milli: number;
  total_kop: number;
  vat: VatCode;
  /** A marked good (Честный ЗНАК): its code and checks (fiscal/marking/ofd-mark.ts). */
  mark?: OfdItemMark;
  /** A discounted line: the price per unit before the discount (price_kop is after), and the discount. */
  price_before_kop?: number;
  discount_kop?: number;
}

/** Tags 2000 (code), 2003 (planned status), 2102 (mode), 1162 (product code), 1260/1265 (permit check). */
export interface OfdItemMark {
  code: string;
  gtin: string;
  serial: string;
  planned_status: number;
  processing_mode: number;
  product_code_1162: string;
  permit:
    { status: 'passed'; req_id: string; req_timestamp: number } | { status: 'not_done'; reason: string };
  industry_requisite?: { foiv_id: string; doc_date: string; doc_number: string; value: string };
}

export interface OfdPayment {
  type: 'cash' | 'card' | 'other';
  amount_kop: number;
}

/** The fiscal attributes the KKT returned when it printed the receipt. */
export interface OfdFiscalAttributes {
  fd_number: number;
  fiscal_sign: number;
  fn_number: string;
  kkt_reg_number: string;
  shift_number: number;
  receipt_number: number;
  /** Local KKT time, YYYY-MM-DDTHH:MM:SS. */
  fiscal_datetime: string;
  qr: string;
}

/**
 * How one delivery attempt ended.
 * - accepted, duplicate: delivered (a 409 means the OFD already has it, e.g. a resend after a crash).
 * - permanent: the OFD rejected the receipt itself; resending cannot help (DLQ at once).
 * - auth: the token was refused; retry, and alert someone to fix the settings.
 * - rate_limited: retry after the given delay.
 * - retryable: server error, timeout or network trouble; retry with backoff, counts toward the breaker.
 */
export type OfdOutcome =
  | { kind: 'accepted'; ofdId: string }
  | { kind: 'duplicate'; ofdId?: string }
  /** `detail`: the OFD's own words about the receipt, if it gave any (shown to the manager as such). */
  | { kind: 'permanent'; status: number; message: string; why: OfdFailureWhy; detail?: string }
  | { kind: 'auth'; status: 401 | 403; message: string; why: OfdFailureWhy }
  | { kind: 'rate_limited'; retryAfterMs: number; message: string; why: OfdFailureWhy }
  | { kind: 'retryable'; status?: number; message: string; why: OfdFailureWhy; retryAfterMs?: number };

export interface OfdClientOptions {
  /** OFD base URL, e.g. https://ofd.example.ru or http://127.0.0.1:8090 for the mock. */
  baseUrl: string;
  token: string;
  /** Whole-request limit, connect to last body byte (default 10 000: README, «Configuration»). */
  timeoutMs?: number;
}

export const DEFAULT_OFD_TIMEOUT_MS = 10_000;
/** The most of an OFD answer the station reads; past it the answer is dropped unread. */
export const MAX_OFD_RESPONSE_BYTES = 1024 * 1024;
/** How long a kept-alive connection to the OFD may sit unused before the station closes it. */
const IDLE_CONNECTION_MS = 30_000;
/** Used for a 429 without a usable Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 1000;

/** Outcomes worth another attempt later (as opposed to delivered or rejected for good). */
export function isRetryableOutcome(outcome: OfdOutcome): boolean {
  return outcome.kind === 'retryable' || outcome.kind === 'rate_limited' || outcome.kind === 'auth';
}

/** Retry-After as delay-seconds or an HTTP date, in ms from `nowMs`; undefined when absent or unusable. */
export function parseRetryAfterMs(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its weekday and month; this keeps Date.parse from reading "-5" as a year.
  const at = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** An OFD answer as read: the body is null when it was over MAX_OFD_RESPONSE_BYTES (and left unread). */
interface OfdAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string | null;
}

/** The whole request (connect to the answer's last byte) took longer than the client's timeout. */
class OfdTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

export class OfdClient {
  private readonly receiptUrl: URL;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly agent: HttpAgent;
  private closed = false;

  constructor(opts: OfdClientOptions) {
    // A bad URL is a settings error: fail when the client is built, not on every send.
    const base = new URL(opts.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new TypeError(`OFD URL must be http or https, got ${opts.baseUrl}`);
    }
    this.receiptUrl = new URL(`${base.href.replace(/\/+$/, '')}/ofd/v1/receipt`);
    this.token = opts.token;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_OFD_TIMEOUT_MS;
    // An idle connection is closed after IDLE_CONNECTION_MS (a send in progress has its own timeout).
    const agentOptions = { keepAlive: true, timeout: IDLE_CONNECTION_MS };
    this.agent = base.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  }

  async send(payload: OfdReceiptPayload): Promise<OfdOutcome> {
    let answer: OfdAnswer;
    try {
      answer = await this.post(JSON.stringify(payload), payload.receipt_id);
    } catch (err) {
      return { kind: 'retryable', ...this.describeFailure(err) };
    }
    if (answer.body === null) {
      return {
        kind: 'retryable',
        status: answer.status,
        message: `OFD answered ${answer.status} with a body over ${MAX_OFD_RESPONSE_BYTES / 1024 / 1024} MB; it was not read. Check the OFD URL`,
        why: { code: 'too_large', params: { status: answer.status } },
      };
    }
    return classify(answer.status, answer.body, (name) => headerValue(answer.headers, name));
  }

  /** Closes the connections (the station stops): a send still out fails and is not tried again. */
  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  /**
   * One POST, within timeoutMs from the first try's start. Sent again once, on a connection of its own,
   * when a kept-alive one turned out stale; never after close() (that reset is ours).
   */
  private async post(body: string, idempotencyKey: string): Promise<OfdAnswer> {
    const deadline = Date.now() + this.timeoutMs;
    try {
      return await this.postOnce(body, idempotencyKey, deadline, this.agent);
    } catch (err) {
      if (!(err instanceof StaleSocketError)) throw err;
      if (this.closed) throw err.cause;
      return this.postOnce(body, idempotencyKey, deadline, false);
    }
  }

  private postOnce(
    body: string,
    idempotencyKey: string,
    deadline: number,
    agent: HttpAgent | false,
  ): Promise<OfdAnswer> {
    return new Promise<OfdAnswer>((resolve, reject) => {
      let settled = false;
      let answered = false;
      const settle = (err: Error | null, answer?: OfdAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(answer!);
      };
      const send = this.receiptUrl.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        this.receiptUrl,
        {
          method: 'POST',
          agent,
          headers: {
            Authorization: `Bearer ${this.token}`,
            'Idempotency-Key': idempotencyKey,
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            Accept: 'application/json',
          },
        },
        (res) => {
          answered = true;
          const status = res.statusCode ?? 0;
          const tooLarge = () => {
            res.destroy();
            req.destroy();
            settle(null, { status, headers: res.headers, body: null });
          };
          if (Number(res.headers['content-length'] ?? '0') > MAX_OFD_RESPONSE_BYTES) return tooLarge();
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_OFD_RESPONSE_BYTES) return tooLarge();
            chunks.push(chunk);
          });
          res.on('end', () =>
            settle(null, { status, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', (e) => settle(e));
          // Closed before its end: the server went away mid-answer.
          res.on('close', () =>
            settle(Object.assign(new Error('connection closed mid-answer'), { code: 'ECONNRESET' })),
          );
        },
      );
      // Covers reading the body too, so a server that stalls mid-answer also times out.
      const timer = setTimeout(
        () => {
          settle(new OfdTimeoutError(`no answer within ${this.timeoutMs} ms`));
          req.destroy();
        },
        Math.max(0, deadline - Date.now()),
      );
      req.on('error', (e: NodeJS.ErrnoException) => {
        // A kept-alive socket the server had closed: nothing reached it, try a fresh one.
        if (req.reusedSocket && !answered && e.code === 'ECONNRESET') settle(new StaleSocketError(e));
        else settle(e);
      });
      req.end(body);
    });
  }

  private describeFailure(err: unknown): { message: string; why: OfdFailureWhy } {
    if (err instanceof OfdTimeoutError) {
      return {
        message: `OFD did not answer within ${formatDuration(this.timeoutMs)}`,
        why: { code: 'timeout', params: { ms: this.timeoutMs } },
      };
    }
    return {
      message: `OFD unreachable: ${describeNetworkError(err)}`,
      why: { code: 'network', params: { error: networkErrorCode(err) } },
    };
  }
}

/** A kept-alive connection the server had closed took the request: `cause` is the reset. */
class StaleSocketError extends Error {
  constructor(override readonly cause: NodeJS.ErrnoException) {
    super(cause.message);
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const v = headers[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

/** An OFD document id that proves delivery: non-empty printable text of at most 128 characters. */
function usableOfdId(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\x21-\x7e](?:[\x20-\x7e]{0,126}[\x21-\x7e])?$/.test(value)
    ? value
    : undefined;
}

function classify(status: number, text: string, header: (name: string) => string | null): OfdOutcome {
  const body = parseJsonObject(text);
  const ofdId = usableOfdId(body?.['ofd_id']);
  const detail = serverMessage(body, text);
  const withDetail = (head: string): string => (detail ? `${head}: ${detail}` : head);

  if (status >= 200 && status < 300) {
    // Without an ofd_id we cannot prove delivery; a resend is harmless and answers 409 with the id.
    if (ofdId === undefined)
      return {
        kind: 'retryable',
        status,
        message:
          body && 'ofd_id' in body
            ? `OFD answered ${status} with an unusable ofd_id ${truncate(JSON.stringify(body['ofd_id']) ?? '', 40)}`
            : `OFD answered ${status} without an ofd_id`,
        why: { code: 'bad_answer', params: { status } },
      };
    return { kind: 'accepted', ofdId };
  }
  if (status === 409) return ofdId === undefined ? { kind: 'duplicate' } : { kind: 'duplicate', ofdId };
  if (status === 401 || status === 403) {
    return {
      kind: 'auth',
      status,
      message: withDetail(`OFD refused the token (${status})`),
      why: { code: 'auth', params: { status } },
    };
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(header('retry-after')) ?? DEFAULT_RETRY_AFTER_MS;
    return {
      kind: 'rate_limited',
      retryAfterMs,
      message: withDetail('OFD rate limit (429)'),
      why: { code: 'rate_limited', params: { retrySeconds: Math.ceil(retryAfterMs / 1000) } },
    };
  }
  if (status >= 300 && status < 400) {
    const to = header('location');
    return {
      kind: 'retryable',
      status,
      message: `OFD redirected (${status}${to ? ` to ${to}` : ''}): check the OFD URL`,
      why: { code: 'redirect', params: { status } },
    };
  }
  if (status === 404 || status === 405) {
    // A wrong URL path, not a bad receipt: dead-lettering the whole backlog would be the wrong cure.
    return {
      kind: 'retryable',
      status,
      message: withDetail(`OFD endpoint not found (${status}): check the OFD URL setting`),
      why: { code: 'endpoint_not_found', params: { status } },
    };
  }
  if (status >= 400 && status < 500 && status !== 408) {
    const message = withDetail(`OFD rejected the receipt (${status})`);
    const why: OfdFailureWhy = { code: 'rejected', params: { status } };
    return detail
      ? { kind: 'permanent', status, message, why, detail }
      : { kind: 'permanent', status, message, why };
  }
  // 408, 5xx and anything unexpected: the OFD may well take it next time.
  const retryAfterMs = parseRetryAfterMs(header('retry-after'));
  const message = withDetail(`OFD error ${status}`);
  const why: OfdFailureWhy = { code: 'http_status', params: { status } };
  return retryAfterMs === undefined
    ? { kind: 'retryable', status, message, why }
    : { kind: 'retryable', status, message, why, retryAfterMs };
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The server's own words, if any: a JSON message field, else a short piece of the body (not an HTML page). */
function serverMessage(body: Record<string, unknown> | undefined, text: string): string | undefined {
  for (const field of ['message', 'error', 'detail']) {
    const v = body?.[field];
    if (typeof v === 'string' && v.trim() !== '') return truncate(v.trim());
  }
  const plain = text.trim();
  if (body === undefined && plain !== '' && !plain.startsWith('<')) return truncate(plain);
  return undefined;
}

function truncate(s: string, max = 200): string {
  const oneLine = s.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

interface SystemErrorLike {
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
  message?: string;
  errors?: unknown[];
}

const NETWORK_ERROR_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
};

/** The system error behind a failed request; connecting to a name with several addresses fails with one each. */
function systemError(err: unknown): SystemErrorLike | undefined {
  const e = err as SystemErrorLike | undefined;
  if (e && !e.code && Array.isArray(e.errors) && e.errors.length > 0) return e.errors[0] as SystemErrorLike;
  return e;
}

/** The system error code (ECONNREFUSED, ...), for the UI's words; null when there is none. */
function networkErrorCode(err: unknown): string | null {
  const code = systemError(err)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : null;
}

function describeNetworkError(err: unknown): string {
  const cause = systemError(err);
  if (!cause || typeof cause !== 'object') return String(err);
  // Node's words for a connection the server closed without answering.
  const closed = cause.code === 'ECONNRESET' && /socket hang up|closed mid-answer/.test(cause.message ?? '');
  const text = closed
    ? 'connection closed by the server'
    : ((cause.code && NETWORK_ERROR_TEXT[cause.code]) ?? cause.message ?? cause.code ?? 'network error');
  const where = cause.address
    ? `${cause.address}${cause.port !== undefined ? `:${cause.port}` : ''}`
    : cause.hostname;
  return where ? `${text} (${where})` : text;
}

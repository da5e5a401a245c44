// Why a send to the OFD failed, as a code with parameters: the OFD client sets it beside its English
// message (kept for support and the log), and the UI words it for the shop (src/renderer/i18n: ofdFailureText).
export const OFD_FAILURE_CODES = [
  'network',
  'timeout',
  'http_status',
  'redirect',
  'endpoint_not_found',
  'too_large',
  'bad_answer',
  'auth',
  'rate_limited',
  'rejected',
] as const;

export type OfdFailureCode = (typeof OFD_FAILURE_CODES)[number];

export type OfdFailureWhy =
  /** No connection; `error` is the system error code (ECONNREFUSED, ENOTFOUND, ...) when known. */
  | { code: 'network'; params: { error: string | null } }
  /** No whole answer within the timeout. */
  | { code: 'timeout'; params: { ms: number } }
  /** 408, 5xx or another unexpected status: worth another try. */
  | { code: 'http_status'; params: { status: number } }
  | { code: 'redirect'; params: { status: number } }
  /** 404/405: the OFD URL's path is wrong. */
  | { code: 'endpoint_not_found'; params: { status: number } }
  /** An answer over the size limit, dropped unread. */
  | { code: 'too_large'; params: { status: number } }
  /** A 2xx without a usable ofd_id. */
  | { code: 'bad_answer'; params: { status: number } }
  | { code: 'auth'; params: { status: number } }
  | { code: 'rate_limited'; params: { retrySeconds: number } }
  /** The OFD refused the receipt itself (4xx). */
  | { code: 'rejected'; params: { status: number } };

/** A stored failure code (a journal entry's parameter) read back, or null when it is not one. */
export function asOfdFailureWhy(v: unknown): OfdFailureWhy | null {
  if (!v || typeof v !== 'object') return null;
  const { code, params } = v as { code?: unknown; params?: unknown };
  const known = (OFD_FAILURE_CODES as readonly unknown[]).includes(code);
  return known && params !== null && typeof params === 'object' ? (v as OfdFailureWhy) : null;
}

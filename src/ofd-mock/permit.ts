// The mock permit service (разрешительный режим) beside the mock OFD: POST /permit/v1/codes/check answers
// one verdict per marking code, in the shape the station reads (docs/ofd-mock.md «Permit service»; a
// subset of the ГИС МТ codes/check method). Switchable answers for tests: every code passes (ok), some
// or all are refused with a reason (reject), the service is down (HTTP error), slow (latency) or talks
// nonsense (garbage). Pure state and answers: server.ts does the HTTP.
import { randomUUID } from 'node:crypto';
import { MarkCodeError, markCodeLabel, parseMarkCode } from '../shared/marking-code.ts';

export const PERMIT_API = '/permit/v1';

export const PERMIT_MODES = ['ok', 'reject', 'down', 'garbage'] as const;
export const PERMIT_REJECT_REASONS = [
  'sold',
  'not_found',
  'blocked',
  'expired',
  'invalid',
  'not_realizable',
] as const;
export type PermitRejectReason = (typeof PERMIT_REJECT_REASONS)[number];

/** Body of POST /permit/v1/_test/mode; each call replaces the whole setup. */
export interface PermitModeInput {
  mode: (typeof PERMIT_MODES)[number];
  /** reject: why (default sold). */
  reason?: PermitRejectReason;
  /** reject: only these codes (any scanner form; matched by GTIN + serial); default every code. */
  codes?: string[];
  /** down: the HTTP status (default 503). */
  status?: number;
  /** Delay before every answer (any mode), to test the station's timeout. */
  latency_ms?: number;
}

export interface PermitMockState {
  mode: PermitModeInput['mode'];
  reason: PermitRejectReason;
  /** GTIN + serial of the codes refused; null = all. */
  codes: string[] | null;
  status: number;
  latency_ms: number;
  /** Every check request the service got (the codes as sent). */
  calls: { codes: unknown[]; at: string }[];
}

export class PermitInputError extends Error {}

export function initialPermitState(): PermitMockState {
  return { mode: 'ok', reason: 'sold', codes: null, status: 503, latency_ms: 0, calls: [] };
}

/** Validates a control body into the new setup (the call log is kept). */
export function parsePermitMode(input: unknown, calls: PermitMockState['calls']): PermitMockState {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new PermitInputError(
      'Mode body must be a JSON object such as {"mode": "reject", "reason": "sold"}',
    );
  const b = input as Record<string, unknown>;
  const known = ['mode', 'reason', 'codes', 'status', 'latency_ms'];
  const unknown = Object.keys(b).filter((k) => !known.includes(k));
  if (unknown.length)
    throw new PermitInputError(`Unknown field(s) ${unknown.join(', ')}; allowed: ${known.join(', ')}`);
  if (!(PERMIT_MODES as readonly unknown[]).includes(b.mode))
    throw new PermitInputError(`mode must be one of ${PERMIT_MODES.join(', ')}`);
  if (b.reason !== undefined && !(PERMIT_REJECT_REASONS as readonly unknown[]).includes(b.reason))
    throw new PermitInputError(`reason must be one of ${PERMIT_REJECT_REASONS.join(', ')}`);
  let codes: string[] | null = null;
  if (b.codes !== undefined) {
    if (!Array.isArray(b.codes) || b.codes.some((c) => typeof c !== 'string'))
      throw new PermitInputError('codes must be a list of marking codes');
    try {
      codes = (b.codes as string[]).map((c) => markCodeLabel(parseMarkCode(c)));
    } catch (e) {
      if (e instanceof MarkCodeError) throw new PermitInputError(`codes: ${e.message}`);
      throw e;
    }
  }
  const int = (name: string, min: number, max: number, dflt: number): number => {
    const v = b[name];
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw new PermitInputError(`${name} must be an integer from ${min} to ${max}`);
    return v;
  };
  return {
    mode: b.mode as PermitModeInput['mode'],
    reason: (b.reason as PermitRejectReason | undefined) ?? 'sold',
    codes,
    status: int('status', 400, 599, 503),
    latency_ms: int('latency_ms', 0, 600_000, 0),
    calls,
  };
}

/** The answer to one check request: HTTP status and body (text: `garbage` is not JSON). */
export function permitAnswer(state: PermitMockState, bodyText: string): { status: number; text: string } {
  let codes: unknown;
  try {
    codes = (JSON.parse(bodyText) as { codes?: unknown }).codes;
  } catch {
    return json(400, { code: 400, description: 'body is not JSON' });
  }
  if (!Array.isArray(codes) || codes.length === 0 || codes.length > 100)
    return json(400, { code: 400, description: 'codes must be a list of 1–100 marking codes' });
  state.calls.push({ codes, at: new Date().toISOString() });
  if (state.mode === 'down')
    return json(state.status, { code: state.status, description: 'permit mock: down' });
  if (state.mode === 'garbage') return { status: 200, text: '<html>maintenance</html>' };
  return json(200, {
    code: 0,
    description: 'ok',
    reqId: randomUUID(),
    reqTimestamp: Date.now(),
    codes: codes.map((cis) => verdict(state, cis)),
  });
}

function verdict(state: PermitMockState, cis: unknown): Record<string, unknown> {
  let label: string | null = null;
  try {
    label = typeof cis === 'string' ? markCodeLabel(parseMarkCode(cis)) : null;
  } catch {
    label = null;
  }
  const ok = {
    cis,
    found: label !== null,
    valid: label !== null,
    verified: label !== null,
    realizable: true,
    sold: false,
    isBlocked: false,
    expireDate: '2099-12-31T00:00:00Z',
  };
  const refused = state.mode === 'reject' && label !== null && (state.codes?.includes(label) ?? true);
  if (!refused) return ok;
  const change: Record<PermitRejectReason, Record<string, unknown>> = {
    sold: { sold: true },
    not_found: { found: false },
    blocked: { isBlocked: true, message: 'sale blocked by a state authority (mock)' },
    expired: { expireDate: '2000-01-01T00:00:00Z' },
    invalid: { valid: false },
    not_realizable: { realizable: false },
  };
  return { ...ok, ...change[state.reason] };
}

function json(status: number, body: unknown): { status: number; text: string } {
  return { status, text: JSON.stringify(body) };
}

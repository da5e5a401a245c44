// The FN's health in one rule, shared by /v1/health, the status panel, the header's alerts and the
// documentation of the Prometheus alerts: how close the FN is to its expiry (FF03h), how old its oldest
// document not yet acknowledged by the OFD is (FF39h; the FN blocks fiscal work at 30 days), and the
// FN's own warning flags (FF01h byte 7). Browser-safe: no Node built-ins.

/** FF01h warning flag bits (protocol v1.17 p.42–43; bit names as pyshtrih and the PHP driver give them). */
export const FN_WARNING_BITS = {
  replace_urgent: 0x01, // срочная замена КС: 3 days or less of validity left
  replace_soon: 0x02, // исчерпание ресурса КС: 30 days or less left
  memory_almost_full: 0x04, // память ФН заполнена на 90 %
  ofd_timeout: 0x08, // превышено время ожидания ответа ОФД
} as const;
export type FnWarning = keyof typeof FN_WARNING_BITS | 'unknown';

/** The flags of an FF01h warning byte; bits 4–7 (not in any source) become one 'unknown'. */
export function fnWarningsOf(flags: number): FnWarning[] {
  const out: FnWarning[] = [];
  for (const [name, bit] of Object.entries(FN_WARNING_BITS)) if (flags & bit) out.push(name as FnWarning);
  if (flags & 0xf0) out.push('unknown');
  return out;
}

export const FN_THRESHOLDS = {
  /** Degraded this many days before the FN's expiry, unhealthy at the second figure. */
  expiryWarningDays: 30,
  expiryCriticalDays: 3,
  /** Degraded when the oldest document the OFD has not acknowledged is this old, unhealthy at the second. */
  unsentWarningDays: 5,
  unsentCriticalDays: 25,
  /** The FN refuses fiscal documents when one is unsent longer than this. */
  unsentBlockDays: 30,
} as const;

export type FnLevel = 'ok' | 'warning' | 'critical';

export interface FnHealthInput {
  /** FF03h validity date, YYYY-MM-DD, or null when unknown. */
  fnExpiresOn: string | null;
  fnWarnings: readonly FnWarning[];
  unsentCount: number;
  /** KKT local time of the oldest unsent document. */
  oldestUnsentAt: string | null;
}

export interface FnHealth {
  level: FnLevel;
  /** Whole days until the expiry date (negative after it), or null. */
  daysToExpiry: number | null;
  /** Whole days the oldest unsent document has waited, or null when none waits. */
  unsentDays: number | null;
  /** Why the level is not ok, as codes the UI and the health answer name. */
  reasons: ('fn_expiring' | 'fn_expiry_imminent' | 'fn_unsent_old' | 'fn_unsent_critical' | FnWarning)[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Local dates and times (the KKT's clock has no zone) are read as the station's local time. */
export function fnHealth(input: FnHealthInput, nowMs: number): FnHealth {
  const reasons: FnHealth['reasons'] = [];
  let level: FnLevel = 'ok';
  const raise = (to: FnLevel) => {
    if (to === 'critical' || (to === 'warning' && level === 'ok')) level = to;
  };
  const expiry = input.fnExpiresOn ? Date.parse(`${input.fnExpiresOn}T00:00:00`) : NaN;
  const daysToExpiry = Number.isFinite(expiry) ? Math.floor((expiry - nowMs) / DAY_MS) : null;
  if (daysToExpiry !== null && daysToExpiry <= FN_THRESHOLDS.expiryCriticalDays) {
    reasons.push('fn_expiry_imminent');
    raise('critical');
  } else if (daysToExpiry !== null && daysToExpiry <= FN_THRESHOLDS.expiryWarningDays) {
    reasons.push('fn_expiring');
    raise('warning');
  }
  const oldest = input.unsentCount > 0 && input.oldestUnsentAt ? Date.parse(input.oldestUnsentAt) : NaN;
  const unsentDays = Number.isFinite(oldest) ? Math.max(0, Math.floor((nowMs - oldest) / DAY_MS)) : null;
  if (unsentDays !== null && unsentDays >= FN_THRESHOLDS.unsentCriticalDays) {
    reasons.push('fn_unsent_critical');
    raise('critical');
  } else if (unsentDays !== null && unsentDays >= FN_THRESHOLDS.unsentWarningDays) {
    reasons.push('fn_unsent_old');
    raise('warning');
  }
  for (const w of input.fnWarnings) {
    reasons.push(w);
    raise(w === 'replace_urgent' ? 'critical' : 'warning');
  }
  return { level, daysToExpiry, unsentDays, reasons };
}

/**
 * A validity date as the emulator takes it (--fn-expires, the station's emulator setting): YYYY-MM-DD,
 * a real calendar date within 2000–2099 (FF03h carries the year as YY). Throws an Error naming the value.
 */
export function parseFnExpiryDate(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (
    !m ||
    y < 2000 ||
    y > 2099 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== mo - 1 ||
    date.getUTCDate() !== d
  )
    throw new Error(`"${text}" is not a date YYYY-MM-DD between 2000-01-01 and 2099-12-31`);
  return text.trim();
}

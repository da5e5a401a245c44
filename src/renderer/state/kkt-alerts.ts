// The header's alerts about the KKT's registration and FN and the shift's end, as a pure function of a
// snapshot's KKT view and the time, so the rules are tested without a browser
// (tests/renderer-kkt-alerts.test.ts): no usable tax system (critical), the FN's expiry and its unsent
// documents by the shared rule (src/shared/fn-health.ts), its own warning flags, and the shift's last hour.
import type { KktStatusView } from '../../shared/contract.ts';
import { FN_THRESHOLDS, fnHealth } from '../../shared/fn-health.ts';
import { formatDate, formatDuration, minutesSince, type Lang } from '../format.ts';
import type { Messages } from '../i18n/index.ts';

export interface HeaderAlert {
  key: string;
  level: 'warning' | 'critical';
  text: string;
  action?: 'shift' | 'continue';
}

/** The shift-ending warning starts 23 hours into the shift. */
export const SHIFT_WARN_MINUTES = 23 * 60;

export function registrationAlerts(t: Messages, lang: Lang, kkt: KktStatusView, now: number): HeaderAlert[] {
  const out: HeaderAlert[] = [];
  const taxName = (n: string) => t.taxSystemNames[n] ?? n;
  const registered = kkt.taxSystems.map(taxName).join(', ');
  if (kkt.taxSystemProblem === 'mismatch')
    out.push({
      key: 'tax',
      level: 'critical',
      text: t.taxMismatch(taxName(kkt.configuredTaxSystem ?? ''), registered),
    });
  else if (kkt.taxSystemProblem === 'not_chosen')
    out.push({ key: 'tax', level: 'critical', text: t.taxNotChosen(registered) });
  else if (kkt.taxSystemProblem === 'none_registered')
    out.push({ key: 'tax', level: 'critical', text: t.taxNoneRegistered });
  // The FN by the shared rule (src/shared/fn-health.ts): expiry, unsent days, its own flags.
  const fn = fnHealth(kkt, now);
  if (fn.reasons.includes('fn_expiry_imminent') || fn.reasons.includes('fn_expiring'))
    out.push({
      key: 'fn-expiry',
      level: fn.reasons.includes('fn_expiry_imminent') ? 'critical' : 'warning',
      text: t.fnExpiring(formatDate(kkt.fnExpiresOn, lang), fn.daysToExpiry ?? 0),
    });
  const d = fn.unsentDays;
  if (d !== null && d >= FN_THRESHOLDS.unsentWarningDays)
    out.push(
      d >= FN_THRESHOLDS.unsentBlockDays
        ? { key: 'fn', level: 'critical', text: t.fnCritical(d) }
        : {
            key: 'fn',
            level: d >= FN_THRESHOLDS.unsentCriticalDays ? 'critical' : 'warning',
            text: t.fnWarning(d, FN_THRESHOLDS.unsentBlockDays - d),
          },
    );
  for (const w of kkt.fnWarnings) {
    // The expiry flags say what the date alert already says, when the date is known.
    if ((w === 'replace_urgent' || w === 'replace_soon') && kkt.fnExpiresOn) continue;
    out.push({
      key: `fn-flag-${w}`,
      level: w === 'replace_urgent' ? 'critical' : 'warning',
      text: t.fnFlagAlert[w] ?? w,
    });
  }
  // Warn from 23 h, before the 24-hour limit blocks sales.
  const age = minutesSince(kkt.shiftOpenedAt, now);
  if (kkt.shiftOpen && !kkt.shiftExpired && age !== null && age >= SHIFT_WARN_MINUTES && age < 24 * 60)
    out.push({
      key: 'shift-ending',
      level: 'warning',
      text: t.shiftEnding(formatDuration(24 * 60 - age, lang)),
      action: 'shift',
    });
  return out;
}

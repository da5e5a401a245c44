// The manager session behind the PIN. The PIN is the manager's approval (state/cashier.ts): it lasts a
// few minutes after its last use, so switching sections does not ask for it again, and a manager who
// signed in at the till is approved already. "Leave manager mode", a few idle minutes, hiding the
// window, locking the till, «Сменить кассира» or any command the station refuses for the PIN forget it
// (the reason is then shown at the sign-in form). A manager who walks away must not leave it open.
import { useCallback, useEffect, useState } from 'react';
import type { CommandError } from '../../../shared/errors.ts';
import { APPROVAL_MS, approve, forgetApproval, touchApproval, useCashier } from '../../state/cashier.ts';
import { useT } from '../../state/language.ts';

const PIN_ERRORS = new Set(['pin_wrong', 'pin_required', 'pin_not_set']);

/** What every panel behind the PIN gets: the PIN to send, and the sign-out on a PIN refusal. */
export interface PinProps {
  pin: string;
  /** Signs out when the station refused the PIN; true when it did (the caller then shows nothing). */
  onPinRejected: (e: CommandError) => boolean;
}

export function useManagerSession() {
  const t = useT();
  const approval = useCashier((s) => s.approval);
  const [now, setNow] = useState(() => Date.now());
  const pin = approval && approval.until > now ? approval.pin : null;
  const [loggedOutReason, setLoggedOutReason] = useState<string | null>(null);

  // The approval runs on while the manager works here; it ends after APPROVAL_MS idle or a hidden window.
  useEffect(() => {
    if (pin === null) return;
    let timer = setTimeout(expire, APPROVAL_MS);
    function expire() {
      forgetApproval();
      setLoggedOutReason(t.managerIdleLogout);
    }
    const activity = () => {
      clearTimeout(timer);
      touchApproval();
      timer = setTimeout(expire, APPROVAL_MS);
    };
    const hidden = () => document.visibilityState === 'hidden' && expire();
    document.addEventListener('keydown', activity, true);
    document.addEventListener('pointerdown', activity, true);
    document.addEventListener('visibilitychange', hidden);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('keydown', activity, true);
      document.removeEventListener('pointerdown', activity, true);
      document.removeEventListener('visibilitychange', hidden);
    };
  }, [pin, t]);

  const onPinRejected = useCallback(
    (e: CommandError) => {
      if (PIN_ERRORS.has(e.code)) {
        forgetApproval();
        setLoggedOutReason(t.errorText(e));
        return true;
      }
      return false;
    },
    [t],
  );

  /** Opens the session (sign-in) or carries it on with a changed PIN. */
  const signIn = useCallback((newPin: string) => {
    setLoggedOutReason(null);
    setNow(Date.now());
    approve(newPin);
  }, []);
  const signOut = useCallback(() => forgetApproval(), []);

  return { pin, loggedOutReason, onPinRejected, signIn, signOut };
}

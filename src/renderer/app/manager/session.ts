// The manager session behind the PIN. The PIN lives only in this hook's memory while the session is
// open: leaving the section (unmount), "Leave manager mode", a few idle minutes or hiding the window
// forget it, and so does any command the station refuses for the PIN (the reason is then shown at
// the sign-in form). A manager who walks away must not leave the manager area open.
import { useCallback, useEffect, useState } from 'react';
import type { CommandError } from '../../../shared/errors.ts';
import { useT } from '../../state/language.ts';

const PIN_ERRORS = new Set(['pin_wrong', 'pin_required', 'pin_not_set']);

const MANAGER_IDLE_MS = 3 * 60_000;

/** What every panel behind the PIN gets: the PIN to send, and the sign-out on a PIN refusal. */
export interface PinProps {
  pin: string;
  /** Signs out when the station refused the PIN; true when it did (the caller then shows nothing). */
  onPinRejected: (e: CommandError) => boolean;
}

export function useManagerSession() {
  const t = useT();
  const [pin, setPin] = useState<string | null>(null);
  const [loggedOutReason, setLoggedOutReason] = useState<string | null>(null);

  // Forget the PIN when leaving the section.
  useEffect(() => () => setPin(null), []);

  // ...and after a few idle minutes, or when the window is hidden.
  useEffect(() => {
    if (pin === null) return;
    let timer = setTimeout(expire, MANAGER_IDLE_MS);
    function expire() {
      setPin(null);
      setLoggedOutReason(t.managerIdleLogout);
    }
    const activity = () => {
      clearTimeout(timer);
      timer = setTimeout(expire, MANAGER_IDLE_MS);
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
        setPin(null);
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
    setPin(newPin);
  }, []);
  const signOut = useCallback(() => setPin(null), []);

  return { pin, loggedOutReason, onPinRejected, signIn, signOut };
}

// How a refund is paid out, and the manager's PIN where the rules want it: one block for the refund
// of a sale in the buffer (RefundForm.tsx) and of an old sale (OldSaleRefund.tsx). The station checks
// the rules again (refund-rules.ts); this only asks for what it will need.
import type { RefObject } from 'react';
import { useT } from '../state/language.ts';
import { PinField } from './ui.tsx';

export type PayType = 'cash' | 'card';

export function RefundPayout({
  name,
  payType,
  onPayType,
  cashNeedsPin,
  pinNeeded,
  notes,
  pin,
  onPin,
  pinRef,
  pinError,
  pinHint,
}: {
  /** The radio group's name (unique on the page). */
  name: string;
  payType: PayType;
  onPayType: (p: PayType) => void;
  /** A card sale: cash only with the manager's PIN (the label says so). */
  cashNeedsPin: boolean;
  /** Show the PIN field (with the notes that say why). */
  pinNeeded: boolean;
  notes: string[];
  pin: string;
  onPin: (v: string) => void;
  pinRef: RefObject<HTMLInputElement | null>;
  pinError: string | null | undefined;
  pinHint: string;
}) {
  const t = useT();
  return (
    <>
      <fieldset className="radio-group">
        <legend>{t.refundPayment}</legend>
        {(['cash', 'card'] as const).map((p) => (
          <label key={p} className={`radio-card${payType === p ? ' checked' : ''}`}>
            <input type="radio" name={name} value={p} checked={payType === p} onChange={() => onPayType(p)} />
            {p === 'cash' && cashNeedsPin ? t.refundCashManager : p === 'cash' ? t.refundCash : t.refundCard}
          </label>
        ))}
      </fieldset>
      {pinNeeded ? (
        <div className="panel manager-approval">
          {notes.map((n) => (
            <p key={n} className="hint">
              {n}
            </p>
          ))}
          <PinField
            label={t.managerPin}
            value={pin}
            onValue={onPin}
            inputRef={pinRef}
            error={pinError}
            hint={pinHint}
          />
        </div>
      ) : null}
    </>
  );
}

// How a refund is paid out, and the manager's PIN where the rules want it: one block for the refund
// of a sale in the buffer (RefundForm.tsx) and of an old sale (OldSaleRefund.tsx). The station checks
// the rules again (refund-rules.ts); this only asks for what it will need.
import type { RefObject } from 'react';
import { useT } from '../state/language.ts';
import { PinField, RadioCards } from './ui.tsx';

export type PayType = 'cash' | 'card';

export function RefundPayout({
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
      <RadioCards
        legend={t.refundPayment}
        value={payType}
        options={[
          { value: 'cash', label: cashNeedsPin ? t.refundCashManager : t.refundCash },
          { value: 'card', label: t.refundCard },
        ]}
        onValue={(p) => onPayType(p)}
      />
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

// A new cashier's fields (name, optional INN, PIN twice), checked here with the station's own rules
// (shared/inn.ts, shared/pin.ts) before sending; the station checks them again.
import { useState, type RefObject } from 'react';
import type { CashierForm } from '../../../shared/contract.ts';
import { isValidPersonInn } from '../../../shared/inn.ts';
import { isValidPin } from '../../../shared/pin.ts';
import { useT } from '../../state/language.ts';
import { PinField, TextField } from '../ui.tsx';

export interface CashierDraft {
  name: string;
  inn: string;
  pin: string;
  pin2: string;
}

export const EMPTY_DRAFT: CashierDraft = { name: '', inn: '', pin: '', pin2: '' };

type Errors = Partial<Record<keyof CashierDraft, string>>;

/** The form's errors (none: ready to send), with the form as the station takes it. */
export function checkDraft(
  d: CashierDraft,
  t: ReturnType<typeof useT>,
): { errors: Errors; form: Omit<CashierForm, 'role'> } {
  const errors: Errors = {};
  if (!d.name.trim()) errors.name = t.errCashierName;
  if (d.inn.trim() && !isValidPersonInn(d.inn.trim())) errors.inn = t.errInn;
  if (!isValidPin(d.pin)) errors.pin = t.errPinFormat;
  else if (d.pin !== d.pin2) errors.pin2 = t.errPinMismatch;
  const inn = d.inn.trim();
  return { errors, form: { name: d.name.trim(), ...(inn ? { inn } : {}), pin: d.pin } };
}

export function useCashierDraft() {
  const [draft, setDraft] = useState<CashierDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<Errors>({});
  return { draft, setDraft, errors, setErrors };
}

export function CashierFields({
  draft,
  onDraft,
  errors,
  nameRef,
}: {
  draft: CashierDraft;
  onDraft: (d: CashierDraft) => void;
  errors: Errors;
  nameRef?: RefObject<HTMLInputElement | null>;
}) {
  const t = useT();
  return (
    <>
      <TextField
        label={t.cashierFullName}
        value={draft.name}
        onValue={(name) => onDraft({ ...draft, name })}
        error={errors.name}
        inputRef={nameRef}
        autoComplete="name"
        maxLength={64}
      />
      <TextField
        label={t.cashierInnOptional}
        value={draft.inn}
        onValue={(inn) => onDraft({ ...draft, inn: inn.replace(/\D/g, '').slice(0, 12) })}
        error={errors.inn}
        hint={t.innHint}
        inputMode="numeric"
        autoComplete="off"
        maxLength={12}
      />
      <PinField
        label={t.cashierNewPin}
        value={draft.pin}
        onValue={(pin) => onDraft({ ...draft, pin })}
        error={errors.pin}
        hint={t.pinHint}
      />
      <PinField
        label={t.cashierRepeatPin}
        value={draft.pin2}
        onValue={(pin2) => onDraft({ ...draft, pin2 })}
        error={errors.pin2}
      />
    </>
  );
}

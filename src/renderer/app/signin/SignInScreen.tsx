// The till's door: on first start (nobody on the list) the first manager is created; afterwards a
// cashier picks their name and types the PIN, Enter signs in. A locked till asks the same cashier's
// PIN again, or «Сменить кассира» goes back to the list. The station checks every PIN (cashier.signIn).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CashierView } from '../../../shared/contract.ts';
import { isValidPin } from '../../../shared/pin.ts';
import { call } from '../../state/api.ts';
import { signOut, signedIn, useCashier } from '../../state/cashier.ts';
import { useT } from '../../state/language.ts';
import { FormPanel } from '../FormPanel.tsx';
import { ErrorAlert, PinField, focusOnOpen } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import { FirstManagerForm } from './FirstManagerForm.tsx';

export function SignInScreen() {
  const t = useT();
  const [cashiers, setCashiers] = useState<CashierView[] | null>(null);
  const list = useCommand();
  const runList = list.run;
  const load = useCallback(async () => {
    const r = await runList(() => call('cashier.list'));
    if (r?.ok) setCashiers(r.value);
  }, [runList]);
  useEffect(() => void load(), [load]);

  return (
    <div className="screen signin-screen">
      {list.error ? (
        <ErrorAlert error={list.error}>
          <button type="button" className="btn btn-small" onClick={() => void load()}>
            {t.reload}
          </button>
        </ErrorAlert>
      ) : null}
      {cashiers === null && !list.error ? <p role="status">{t.connecting}</p> : null}
      {cashiers?.length === 0 ? <FirstManagerForm /> : null}
      {cashiers && cashiers.length > 0 ? <SignInForm cashiers={cashiers} /> : null}
    </div>
  );
}

function SignInForm({ cashiers }: { cashiers: CashierView[] }) {
  const t = useT();
  const locked = useCashier((s) => (s.locked ? s.cashier : null));
  const [chosen, setChosen] = useState<number>(locked?.id ?? cashiers[0]!.id);
  const [pin, setPin] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const command = useCommand();
  const selectRef = useRef<HTMLSelectElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // One name (or a locked till): straight to the PIN; several: the list first.
    focusOnOpen(locked || cashiers.length === 1 ? pinRef.current : selectRef.current);
  }, [locked, cashiers.length]);

  async function submit() {
    if (!isValidPin(pin)) {
      setErr(t.errPinFormat);
      pinRef.current?.focus();
      return;
    }
    setErr(null);
    const id = locked?.id ?? chosen;
    const r = await command.run(() => call('cashier.signIn', { cashierId: id, pin }));
    if (!r) return;
    if (r.ok) {
      signedIn(r.value, pin);
      return;
    }
    setPin('');
    pinRef.current?.focus();
  }

  const wrong = command.error?.code === 'pin_wrong';
  return (
    <FormPanel
      title={locked ? t.lockedTitle(locked.name) : t.signInTitle}
      error={wrong ? t.signInWrongPin : command.error}
      busy={command.busy}
      submitLabel={locked ? t.unlock : t.signIn}
      onSubmit={submit}
      actions={
        locked ? (
          <button type="button" className="btn" onClick={signOut}>
            {t.changeCashier}
          </button>
        ) : null
      }
    >
      {locked ? null : (
        <div className="field">
          <label htmlFor="signin-cashier">{t.cashierSelect}</label>
          <select
            id="signin-cashier"
            ref={selectRef}
            value={chosen}
            onChange={(e) => {
              setChosen(Number(e.target.value));
              pinRef.current?.focus();
            }}
          >
            {cashiers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <PinField
        label={t.cashierPin}
        value={pin}
        onValue={setPin}
        error={err}
        inputRef={pinRef}
        hint={t.pinHint}
      />
    </FormPanel>
  );
}

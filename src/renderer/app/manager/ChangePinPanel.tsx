// Changing the manager PIN (current PIN, new PIN twice). A wrong current PIN is shown here, not a
// sign-out: the session's PIN is still good. On success the session carries on with the new PIN.
import { useState, type FormEvent } from 'react';
import { isValidPin } from '../../../shared/pin.ts';
import { useT } from '../../state/language.ts';
import { call } from '../../state/api.ts';
import { ErrorAlert, Notice, PinField } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';

export function ChangePinPanel({ onChanged }: { onChanged: (pin: string) => void }) {
  const t = useT();
  const [cur, setCur] = useState('');
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [errs, setErrs] = useState<{ cur?: string; a?: string; b?: string }>({});
  const command = useCommand();
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const next: { cur?: string; a?: string; b?: string } = {};
    if (!isValidPin(cur)) next.cur = t.errPinFormat;
    if (!isValidPin(a)) next.a = t.errPinFormat;
    else if (a !== b) next.b = t.errPinMismatch;
    setErrs(next);
    if (next.cur || next.a || next.b || command.busy) return;
    setDone(false);
    const r = await command.run(() => call('manager.setPin', { currentPin: cur, newPin: a }));
    if (!r) return;
    setCur('');
    setA('');
    setB('');
    if (r.ok) {
      setDone(true);
      onChanged(a);
    }
  }

  return (
    <section className="panel" aria-labelledby="change-pin-title">
      <h3 id="change-pin-title">{t.changePinTitle}</h3>
      <form className="narrow-form" onSubmit={(e) => void submit(e)} noValidate>
        <PinField label={t.currentPin} value={cur} onValue={setCur} error={errs.cur} />
        <PinField label={t.newPin} value={a} onValue={setA} error={errs.a} hint={t.pinHint} />
        <PinField label={t.repeatPin} value={b} onValue={setB} error={errs.b} />
        {command.error ? <ErrorAlert error={command.error} /> : null}
        {done ? <Notice>{t.pinSaved}</Notice> : null}
        <button type="submit" className="btn" disabled={command.busy}>
          {t.changePin}
        </button>
      </form>
    </section>
  );
}

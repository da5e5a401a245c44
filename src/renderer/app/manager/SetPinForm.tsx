// The first manager PIN, typed twice. Once set, the next snapshot says managerPinSet and the sign-in
// form takes this one's place.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { isValidPin } from '../../../shared/pin.ts';
import { useT } from '../../state/language.ts';
import { call } from '../../state/api.ts';
import { acceptSnapshot } from '../../state/store.ts';
import { ErrorAlert, PinField, focusOnOpen } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';

export function SetPinForm() {
  const t = useT();
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [errA, setErrA] = useState<string | null>(null);
  const [errB, setErrB] = useState<string | null>(null);
  const command = useCommand();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => focusOnOpen(ref.current), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ea = isValidPin(a) ? null : t.errPinFormat;
    const eb = ea ? null : a === b ? null : t.errPinMismatch;
    setErrA(ea);
    setErrB(eb);
    if (ea || eb) return;
    const r = await command.run(() => call('manager.setPin', { newPin: a }));
    if (!r) return;
    setA('');
    setB('');
    if (r.ok) {
      const snap = await call('station.snapshot');
      if (snap.ok) acceptSnapshot(snap.value);
    }
  }

  return (
    <form
      className="panel narrow-form"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="set-pin-title"
      noValidate
    >
      <h3 id="set-pin-title">{t.setPinTitle}</h3>
      <p>{t.setPinIntro}</p>
      <PinField label={t.newPin} value={a} onValue={setA} error={errA} inputRef={ref} hint={t.pinHint} />
      <PinField label={t.repeatPin} value={b} onValue={setB} error={errB} />
      {command.error ? <ErrorAlert error={command.error} /> : null}
      <button type="submit" className="btn btn-primary" disabled={command.busy}>
        {t.setPin}
      </button>
    </form>
  );
}

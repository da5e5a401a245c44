// The first manager PIN, typed twice. Once set, the next snapshot says managerPinSet and the sign-in
// form takes this one's place.
import { useEffect, useRef, useState } from 'react';
import { isValidPin } from '../../../shared/pin.ts';
import { useT } from '../../state/language.ts';
import { call, refreshSnapshot } from '../../state/api.ts';
import { FormPanel } from '../FormPanel.tsx';
import { PinField, focusOnOpen } from '../ui.tsx';
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

  async function submit() {
    const ea = isValidPin(a) ? null : t.errPinFormat;
    const eb = ea ? null : a === b ? null : t.errPinMismatch;
    setErrA(ea);
    setErrB(eb);
    if (ea || eb) return;
    const r = await command.run(() => call('manager.setPin', { newPin: a }));
    if (!r) return;
    setA('');
    setB('');
    if (r.ok) await refreshSnapshot();
  }

  return (
    <FormPanel
      title={t.setPinTitle}
      heading="h3"
      intro={<p>{t.setPinIntro}</p>}
      error={command.error}
      busy={command.busy}
      submitLabel={t.setPin}
      onSubmit={submit}
    >
      <PinField label={t.newPin} value={a} onValue={setA} error={errA} inputRef={ref} hint={t.pinHint} />
      <PinField label={t.repeatPin} value={b} onValue={setB} error={errB} />
    </FormPanel>
  );
}

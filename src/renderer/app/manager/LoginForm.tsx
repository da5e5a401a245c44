// Sign-in to the manager area. `reason` says why the last session ended (idle, PIN refused), until
// the next failure replaces it.
import { useEffect, useRef, useState } from 'react';
import { isValidPin } from '../../../shared/pin.ts';
import { useT } from '../../state/language.ts';
import { call } from '../../state/api.ts';
import { FormPanel } from '../FormPanel.tsx';
import { ErrorAlert, PinField, focusOnOpen } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';

export function LoginForm({ onLogin, reason }: { onLogin: (pin: string) => void; reason: string | null }) {
  const t = useT();
  const [pin, setPin] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const command = useCommand();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => focusOnOpen(ref.current), []);

  async function submit() {
    if (!isValidPin(pin)) {
      setErr(t.errPinFormat);
      return;
    }
    setErr(null);
    const r = await command.run(() => call('manager.verifyPin', { pin }));
    if (!r) return;
    if (r.ok) onLogin(pin);
    else {
      setPin('');
      ref.current?.focus();
    }
  }

  return (
    <FormPanel
      title={t.loginTitle}
      heading="h3"
      intro={reason && !command.error ? <ErrorAlert error={reason} /> : null}
      error={command.error}
      busy={command.busy}
      submitLabel={t.login}
      onSubmit={submit}
    >
      <PinField
        label={t.managerPin}
        value={pin}
        onValue={setPin}
        error={err}
        inputRef={ref}
        hint={t.pinHint}
      />
    </FormPanel>
  );
}

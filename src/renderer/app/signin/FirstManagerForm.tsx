// First start: nobody can sign in yet, so the first person creates themselves as the manager and is
// signed in at once. The station refuses this once anyone is on the list (cashier.createFirst).
import { useEffect, useRef, type FormEvent } from 'react';
import { call } from '../../state/api.ts';
import { signedIn } from '../../state/cashier.ts';
import { useT } from '../../state/language.ts';
import { acceptSnapshot } from '../../state/store.ts';
import { ErrorAlert, focusOnOpen } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import { CashierFields, checkDraft, useCashierDraft } from './CashierFields.tsx';

export function FirstManagerForm() {
  const t = useT();
  const { draft, setDraft, errors, setErrors } = useCashierDraft();
  const command = useCommand();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => focusOnOpen(ref.current), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (command.busy) return;
    const { errors: errs, form } = checkDraft(draft, t);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const r = await command.run(() => call('cashier.createFirst', { cashier: form }));
    if (!r?.ok) return;
    const snap = await call('station.snapshot'); // managerPinSet is true now
    if (snap.ok) acceptSnapshot(snap.value);
    signedIn(r.value, form.pin);
  }

  return (
    <form
      className="panel narrow-form"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="first-manager-title"
      noValidate
    >
      <h2 id="first-manager-title">{t.firstStartTitle}</h2>
      <p>{t.firstStartIntro}</p>
      <CashierFields draft={draft} onDraft={setDraft} errors={errors} nameRef={ref} />
      {command.error ? <ErrorAlert error={command.error} /> : null}
      <button type="submit" className="btn btn-primary" disabled={command.busy}>
        {t.createManager}
      </button>
    </form>
  );
}

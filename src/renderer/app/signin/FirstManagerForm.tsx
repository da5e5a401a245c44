// First start: nobody can sign in yet, so the first person creates themselves as the manager and is
// signed in at once. The station refuses this once anyone is on the list (cashier.createFirst).
import { useEffect, useRef } from 'react';
import { call, refreshSnapshot } from '../../state/api.ts';
import { signedIn } from '../../state/cashier.ts';
import { useT } from '../../state/language.ts';
import { FormPanel } from '../FormPanel.tsx';
import { focusOnOpen } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import { CashierFields, checkDraft, useCashierDraft } from './CashierFields.tsx';

export function FirstManagerForm() {
  const t = useT();
  const { draft, setDraft, errors, setErrors } = useCashierDraft();
  const command = useCommand();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => focusOnOpen(ref.current), []);

  async function submit() {
    const { errors: errs, form } = checkDraft(draft, t);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const r = await command.run(() => call('cashier.createFirst', { cashier: form }));
    if (!r?.ok) return;
    await refreshSnapshot(); // managerPinSet is true now
    signedIn(r.value, form.pin);
  }

  return (
    <FormPanel
      title={t.firstStartTitle}
      intro={<p>{t.firstStartIntro}</p>}
      error={command.error}
      busy={command.busy}
      submitLabel={t.createManager}
      onSubmit={submit}
    >
      <CashierFields draft={draft} onDraft={setDraft} errors={errors} nameRef={ref} />
    </FormPanel>
  );
}

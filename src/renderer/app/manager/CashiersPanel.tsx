// The manager's list of cashiers and the form that adds one (cashier or manager). Names, INNs and
// roles only: the station never answers a PIN or its hash.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { CashierView } from '../../../shared/contract.ts';
import { call } from '../../state/api.ts';
import { useT } from '../../state/language.ts';
import { CashierFields, EMPTY_DRAFT, checkDraft, useCashierDraft } from '../signin/CashierFields.tsx';
import { ErrorAlert, Notice, SelectField } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import type { PinProps } from './session.ts';

const ROLES = ['cashier', 'manager'] as const;

export function CashiersPanel({ pin, onPinRejected }: PinProps) {
  const t = useT();
  const [cashiers, setCashiers] = useState<CashierView[]>([]);
  const [role, setRole] = useState<'cashier' | 'manager'>('cashier');
  const [notice, setNotice] = useState<string | null>(null);
  const { draft, setDraft, errors, setErrors } = useCashierDraft();
  const command = useCommand(onPinRejected);
  const runCommand = command.run;
  const load = useCallback(async () => {
    const r = await runCommand(() => call('cashier.list'));
    if (r?.ok) setCashiers(r.value);
  }, [runCommand]);
  useEffect(() => void load(), [load]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    const { errors: errs, form } = checkDraft(draft, t);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const r = await command.run(() => call('cashier.create', { pin, cashier: { ...form, role } }));
    if (!r?.ok) return;
    setDraft(EMPTY_DRAFT);
    setNotice(t.cashierAdded(r.value.name));
    void load();
  }

  return (
    <section className="panel" aria-labelledby="cashiers-title">
      <h3 id="cashiers-title">{t.cashiersTitle}</h3>
      {cashiers.length === 0 ? (
        <p>{t.cashierListEmpty}</p>
      ) : (
        <ul aria-labelledby="cashiers-title">
          {cashiers.map((c) => (
            <li key={c.id}>
              {c.name} — {t.roleName[c.role]}
              {c.inn ? `, ${t.innShort} ${c.inn}` : ''}
            </li>
          ))}
        </ul>
      )}
      <form className="narrow-form" onSubmit={(e) => void submit(e)} aria-label={t.addCashier} noValidate>
        <CashierFields draft={draft} onDraft={setDraft} errors={errors} />
        <SelectField
          label={t.cashierRole}
          value={role}
          onValue={setRole}
          options={ROLES.map((r) => ({ value: r, label: t.roleName[r] ?? r }))}
        />
        {command.error ? <ErrorAlert error={command.error} /> : null}
        {notice ? <Notice>{notice}</Notice> : null}
        <button type="submit" className="btn btn-primary" disabled={command.busy}>
          {t.addCashier}
        </button>
      </form>
    </section>
  );
}

// Over every section: who is signed in and the shift, the lock key (Alt+L) and «Сменить кассира».
import { useEffect } from 'react';
import { lockTill, signOut, useCashier } from '../../state/cashier.ts';
import { useT } from '../../state/language.ts';
import { useStation } from '../../state/store.ts';

export function CashierBar() {
  const t = useT();
  const cashier = useCashier((s) => s.cashier);
  const shiftOpen = useStation((s) => s.snapshot?.kkt?.shiftOpen ?? null);
  const shiftNumber = useStation((s) => s.snapshot?.kkt?.shiftNumber ?? 0);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // e.code: the same key whatever the keyboard layout (Alt+Д on a Russian one).
      if (
        e.altKey &&
        !e.ctrlKey &&
        !e.metaKey &&
        e.code === 'KeyL' &&
        !document.querySelector('dialog[open]')
      ) {
        e.preventDefault();
        lockTill();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!cashier) return null;
  return (
    <section className="cashier-bar" aria-label={t.cashierBar}>
      <p data-testid="signed-in-cashier">
        {t.signedInAs(cashier.name, t.roleName[cashier.role] ?? cashier.role)}
      </p>
      {shiftOpen === null ? null : (
        <p data-testid="cashier-bar-shift">{t.shiftChip(shiftOpen, shiftNumber)}</p>
      )}
      <div className="button-row">
        <button
          type="button"
          className="btn btn-small"
          aria-label={t.lockTillLabel}
          title="Alt+L"
          onClick={lockTill}
        >
          {t.lockTill}
        </button>
        <button type="button" className="btn btn-small" onClick={signOut}>
          {t.changeCashier}
        </button>
      </div>
    </section>
  );
}

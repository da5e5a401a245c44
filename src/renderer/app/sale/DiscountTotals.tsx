// The discount part of the sale's total panel: the sum before the discounts and the discount (when
// there is one), the «Скидка на чек» button, and the keys: F4 a discount on the line being edited (else
// the last line), Shift+F4 on the whole receipt.
import { useEffect } from 'react';
import { formatMoney } from '../../format.ts';
import type { PricedReceipt } from '../../../shared/discounts.ts';
import { useLang, useT } from '../../state/language.ts';
import { useSale } from '../../state/sale.ts';
import type { DiscountTarget } from './DiscountDialog.tsx';

export function DiscountTotals({
  priced,
  onReceiptDiscount,
}: {
  priced: PricedReceipt;
  onReceiptDiscount: () => void;
}) {
  const t = useT();
  const lang = useLang();
  const discounted = priced.problems.length === 0 && priced.discountKop > 0;
  return (
    <>
      {discounted ? (
        <dl className="discount-totals">
          <div>
            <dt id="total-before-label">{t.totalBeforeDiscount}</dt>
            <dd>
              <s aria-labelledby="total-before-label">{formatMoney(priced.beforeKop, lang)}</s>
            </dd>
          </div>
          <div>
            <dt>{t.totalDiscount}</dt>
            <dd data-testid="sale-discount">{formatMoney(priced.discountKop, lang)}</dd>
          </div>
        </dl>
      ) : null}
      {priced.lines.length > 0 ? (
        <button
          type="button"
          className="btn"
          aria-keyshortcuts="Shift+F4"
          title={t.discountKeysHint}
          onClick={onReceiptDiscount}
        >
          {t.discountReceipt}
        </button>
      ) : null}
    </>
  );
}

/** F4 / Shift+F4 on the sale screen (not while a dialog is open); Alt/Ctrl/Meta+F4 are the system's. */
export function useDiscountKeys(open: (target: DiscountTarget) => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'F4' || document.querySelector('dialog[open]')) return;
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const s = useSale.getState();
      if (s.payOpen || s.lines.length === 0) return;
      e.preventDefault();
      if (e.shiftKey) return open({ kind: 'receipt' });
      const id = s.form.editingId ?? s.lines[s.lines.length - 1]!.id;
      open({ kind: 'line', id });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
}

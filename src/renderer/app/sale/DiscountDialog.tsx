// The discount dialog of the sale screen: per cent or roubles, on one line or on the whole receipt. It
// previews the price before and after with the station's own rule (state/sale-discounts.ts) and refuses
// what the station would refuse. Above the cashier's limit it asks for the manager's PIN (unless a
// manager's approval is live), checks it with the station and keeps it to send with the receipt: the
// station checks it again when the receipt is printed.
import { useRef, useState, type FormEvent } from 'react';
import { formatMoney, formatPercent, kopToInputText, parseMoney } from '../../format.ts';
import { maxDiscountHundredths, parsePercent, type Discount } from '../../../shared/discounts.ts';
import { isValidPin } from '../../../shared/pin.ts';
import { approvedPin } from '../../state/cashier.ts';
import { call } from '../../state/api.ts';
import { useLang, useT } from '../../state/language.ts';
import { priceSale } from '../../state/sale-discounts.ts';
import { setLineDiscount, setReceiptDiscount } from '../../state/discount-actions.ts';
import { useSale } from '../../state/sale.ts';
import { useStation } from '../../state/store.ts';
import { Modal, PinField, RadioCards, TextField } from '../ui.tsx';

export type DiscountTarget = { kind: 'line'; id: number } | { kind: 'receipt' };

export function DiscountDialog({ target, onClose }: { target: DiscountTarget; onClose: () => void }) {
  const t = useT();
  const lang = useLang();
  const lines = useSale((s) => s.lines);
  const receiptDiscount = useSale((s) => s.receiptDiscount);
  const limitPercent = useStation((s) => s.snapshot?.discountLimitPercent ?? 0);
  const line = target.kind === 'line' ? lines.find((l) => l.id === target.id) : undefined;
  const current = target.kind === 'line' ? line?.discount : (receiptDiscount ?? undefined);
  const [inPercent, setInPercent] = useState(!current || 'percentHundredths' in current);
  const [value, setValue] = useState(
    !current
      ? ''
      : 'percentHundredths' in current
        ? formatPercent(current.percentHundredths, lang, false)
        : kopToInputText(current.amountKop, lang),
  );
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pinError, setPinError] = useState<string | null>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const valueRef = useRef<HTMLInputElement>(null);

  const parsed: Discount | null = (() => {
    if (inPercent) {
      const p = parsePercent(value);
      return p === null ? null : { percentHundredths: p };
    }
    const kop = parseMoney(value);
    return kop === null ? null : { amountKop: kop };
  })();
  const proposed =
    parsed &&
    (target.kind === 'line'
      ? priceSale(
          lines.map((l) => (l.id === target.id ? { ...l, discount: parsed } : l)),
          receiptDiscount,
        )
      : priceSale(lines, parsed));
  const index = target.kind === 'line' ? lines.findIndex((l) => l.id === target.id) : -1;
  const problem = proposed?.problems[0] ?? null;
  const limitHundredths = Math.round(limitPercent * 100);
  const overLimit = proposed !== null && !problem && maxDiscountHundredths(proposed) > limitHundredths;
  const livePin = approvedPin();
  const needPin = overLimit && livePin === null;
  const preview =
    proposed && !problem
      ? index >= 0
        ? { before: proposed.lines[index]!.beforeKop, after: proposed.lines[index]!.afterKop }
        : { before: proposed.beforeKop, after: proposed.totalKop }
      : null;

  function apply(d: Discount | null, approval: string | null) {
    if (target.kind === 'line') setLineDiscount(target.id, d, approval);
    else setReceiptDiscount(d, approval);
    onClose();
  }

  async function confirm(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setPinError(null);
    if (!parsed) {
      setError(t.discountErrValue);
      return valueRef.current?.focus();
    }
    if (problem) {
      setError(t.discountProblem(problem));
      return valueRef.current?.focus();
    }
    setError(null);
    if (!overLimit) return apply(parsed, null);
    if (livePin !== null) return apply(parsed, livePin);
    if (!isValidPin(pin)) {
      setPinError(t.errPinFormat);
      return pinRef.current?.focus();
    }
    setBusy(true);
    const checked = await call('manager.verifyPin', { pin });
    setBusy(false);
    if (!checked.ok) {
      setPinError(checked.error.code === 'pin_wrong' ? t.discountPinWrong : t.errorText(checked.error));
      return pinRef.current?.focus();
    }
    apply(parsed, pin);
  }

  const title = target.kind === 'line' ? t.discountLineTitle(line?.name ?? '') : t.discountReceiptTitle;
  return (
    <Modal title={title} onClose={onClose} initialFocus={valueRef} className="discount-dialog">
      <form onSubmit={(e) => void confirm(e)} noValidate aria-busy={busy}>
        <RadioCards
          legend={t.discountKind}
          value={inPercent ? 'percent' : 'roubles'}
          options={[
            { value: 'percent', label: t.discountPercent },
            { value: 'roubles', label: t.discountRoubles },
          ]}
          onValue={(kind, how) => {
            setInPercent(kind === 'percent');
            setError(null);
            if (!how.byArrowKey) valueRef.current?.focus();
          }}
        />
        <TextField
          label={inPercent ? t.discountValuePercent : t.discountValueRoubles}
          value={value}
          onValue={(v) => {
            setValue(v);
            setError(null);
          }}
          inputRef={valueRef}
          error={error}
          inputMode="decimal"
          autoComplete="off"
        />
        {preview ? (
          <p className="due-line small" role="status">
            {t.discountPreview(formatMoney(preview.before, lang), formatMoney(preview.after, lang))}
          </p>
        ) : null}
        {needPin ? (
          <>
            <p className="notice">{t.discountOverLimit(formatPercent(limitHundredths, lang))}</p>
            <PinField
              label={t.discountManagerPin}
              value={pin}
              onValue={setPin}
              error={pinError}
              inputRef={pinRef}
            />
          </>
        ) : null}
        <div className="dialog-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t.discountApply}
          </button>
          {current ? (
            <button type="button" className="btn" disabled={busy} onClick={() => apply(null, null)}>
              {t.discountRemove}
            </button>
          ) : null}
          <button type="button" className="btn" disabled={busy} onClick={onClose}>
            {t.cancel}
          </button>
        </div>
      </form>
    </Modal>
  );
}

// A printed receipt (sale or refund): the change, the fiscal facts (FD number, fiscal sign, shift and
// receipt numbers, FN) and the receipt's QR code; without fiscal data yet, the receipt's state.
import type { ReceiptView } from '../../shared/contract.ts';
import { formatDateTime, formatMoney } from '../format.ts';
import { useLang, useT } from '../state/language.ts';
import { QrImage } from './QrImage.tsx';
import { Facts, Money } from './ui.tsx';

export function ReceiptResult({
  receipt,
  onNew,
  refund,
}: {
  receipt: ReceiptView;
  onNew: () => void;
  refund?: boolean;
}) {
  const t = useT();
  const lang = useLang();
  const f = receipt.fiscal;
  return (
    <section className="panel result-panel" aria-labelledby="result-title" data-testid="receipt-result">
      <h3 id="result-title">{refund ? t.refundResultTitle : t.resultTitle}</h3>
      {f ? (
        <>
          {!refund ? (
            <p className="change-big">
              <span id="result-change-label">{t.change}</span>
              <output aria-labelledby="result-change-label">{formatMoney(f.changeKop, lang)}</output>
            </p>
          ) : null}
          <Facts
            rows={[
              [t.receiptTotal, <Money kop={receipt.totalKop} />],
              [t.fdNumber, <span data-testid="fd-number">{f.fdNumber}</span>],
              [t.fiscalSign, <span data-testid="fiscal-sign">{f.fiscalSign}</span>],
              [t.shiftReceipt, `${f.shiftNumber} / ${f.receiptNumber}`],
              [t.fiscalDatetime, formatDateTime(f.fiscalDatetime, lang)],
              [t.fnNumber, f.fnNumber],
            ]}
          />
          <QrImage text={f.qr} alt={t.qrAlt} />
        </>
      ) : (
        <p>{t.receiptStates[receipt.state] ?? receipt.state}</p>
      )}
      <button type="button" className="btn" onClick={onNew}>
        {refund ? t.backToList : t.newSale}
      </button>
    </section>
  );
}

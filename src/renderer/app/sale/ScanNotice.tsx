// The last scan's news on the sale screen: an unknown code (with the way to have it added to the
// catalogue), a receipt's QR (with the way to «Возврат»), a misread, an item waiting for its weight or price, or a failure to ask the station.
import { useT } from '../../state/language.ts';
import { useScan } from '../../state/scan-sale.ts';
import { setScreen } from '../../state/store.ts';
import { ErrorAlert, Notice } from '../ui.tsx';

export function ScanNoticeView() {
  const t = useT();
  const notice = useScan((s) => s.notice);
  if (!notice) return null;
  const dismiss = () => useScan.setState({ notice: null });
  if (notice.kind === 'error') return <ErrorAlert error={notice.error} />;
  if (notice.kind === 'receipt_qr')
    return (
      <ErrorAlert error={t.scanReceiptQrOnSale}>
        <button
          type="button"
          className="btn"
          onClick={() => {
            dismiss();
            setScreen('refund');
          }}
        >
          {t.scanGoToRefund}
        </button>
        <button type="button" className="btn btn-ghost" onClick={dismiss}>
          {t.dismiss}
        </button>
      </ErrorAlert>
    );
  if (notice.kind === 'needs')
    return (
      <Notice>
        {notice.what === 'quantity' ? t.scanNeedsWeight(notice.name) : t.scanNeedsPrice(notice.name)}
      </Notice>
    );
  const { scan } = notice;
  const text =
    scan.reason === 'bad_check_digit'
      ? t.scanMisread(scan.code)
      : scan.reason === 'weight_item_unknown'
        ? t.scanWeightUnknown(scan.itemCode ?? '', scan.code)
        : t.scanUnknown(scan.code);
  return (
    <ErrorAlert error={text}>
      {scan.reason === 'not_found' ? (
        <button
          type="button"
          className="btn"
          onClick={() => {
            useScan.setState({ notice: null, addBarcode: scan.code });
            setScreen('manager');
          }}
        >
          {t.scanAddToCatalog}
        </button>
      ) : null}
      <button type="button" className="btn btn-ghost" onClick={dismiss}>
        {t.dismiss}
      </button>
    </ErrorAlert>
  );
}

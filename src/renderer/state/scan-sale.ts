// What a scan does to the sale being rung up: the catalogue item becomes a line with its price, VAT and
// unit (a weight label gives its weight; `3*` typed before the scan, as in Frontol, gives 3); the same
// piece item scanned again adds to its line, as on Evotor. An item whose quantity or price the till
// cannot know (a weighed item without a label, a price set at the till) fills the line form and waits
// for the cashier. An unknown code is said in words, never added; so is a receipt's QR (a customer
// back for a refund, scanned on «Продажа»), which would otherwise be typed into a field as text.
import { create } from 'zustand';
import type { CatalogItemView, CatalogScanView } from '../../shared/contract.ts';
import type { CommandError } from '../../shared/errors.ts';
import { MAX_QUANTITY_MILLI } from '../../shared/money.ts';
import { parseQuantity, kopToInputText, formatQuantity } from '../format.ts';
import { call } from './api.ts';
import { EMPTY_FORM, newLineId, useSale } from './sale.ts';
import { askForMark, markEntryOpen, submitMark } from './mark-entry.ts';
import { useStation } from './store.ts';
import { looksLikeFiscalQr } from '../../shared/fiscal-qr.ts';

/** The last scan's news for the cashier: an unknown code, or a failure to ask the station. */
export type ScanNotice =
  | { kind: 'unknown'; scan: Extract<CatalogScanView, { kind: 'unknown' }> }
  | { kind: 'error'; error: CommandError }
  | { kind: 'needs'; what: 'quantity' | 'price'; name: string }
  | { kind: 'receipt_qr' };

export const useScan = create<{
  notice: ScanNotice | null;
  busy: boolean;
  /** An unknown barcode the cashier asked the manager to add: the catalogue form starts with it. */
  addBarcode: string | null;
}>()(() => ({ notice: null, busy: false, addBarcode: null }));

/** "3*", "0,5 *": a quantity typed before a scan; null when the text is not one. */
export function quantityPrefix(text: string): number | null {
  const m = /^\s*(\d{1,6}(?:[.,]\d{1,3})?)\s*\*\s*$/.exec(text);
  return m ? parseQuantity(m[1]!) : null;
}

/** The form field to focus after a scan left the line form waiting for the cashier. */
export type FocusRequest = 'quantity' | 'price' | null;

/**
 * Handles one scanned code. `typed` is what the field the scan began in held before it (a `3*` there is
 * the quantity, and the field is emptied by `clearTyped`). Answers which form field wants the cashier.
 */
export async function scanIntoSale(
  code: string,
  typed: string,
  clearTyped: () => void,
): Promise<FocusRequest> {
  // The marking-code dialog is open: this scan is the DataMatrix it asks for, not another item.
  if (markEntryOpen()) {
    submitMark(code);
    return null;
  }
  const sale = useSale.getState();
  if (sale.payOpen || sale.busy) return null; // a receipt being paid is not changed by a stray scan
  if (looksLikeFiscalQr(code)) {
    useScan.setState({ notice: { kind: 'receipt_qr' } });
    return null;
  }
  const qty = quantityPrefix(typed);
  if (qty !== null) clearTyped();
  useScan.setState({ busy: true });
  const r = await call('catalog.scan', { code });
  useScan.setState({ busy: false });
  if (!r.ok) {
    useScan.setState({ notice: { kind: 'error', error: r.error } });
    return null;
  }
  if (r.value.kind === 'unknown') {
    useScan.setState({ notice: { kind: 'unknown', scan: r.value } });
    return null;
  }
  useScan.setState({ notice: null });
  return addItem(r.value.item, r.value.quantityMilli ?? qty, r.value.quantityMilli !== null);
}

/** Adds a catalogue item (a scan, the search dialog, a quick key) with a quantity when one is known. */
export function addItem(
  item: CatalogItemView,
  quantityMilli: number | null,
  fromLabel = false,
): FocusRequest {
  if (item.marked) {
    askForMark(item); // a marked good is added only with its unit's code (mark-entry.ts)
    return null;
  }
  const lang = useStation.getState().lang;
  const needsQuantity = item.weighed && quantityMilli === null;
  const needsPrice = item.freePrice || item.priceKop === 0;
  if (needsQuantity || needsPrice) {
    useSale.setState({
      form: {
        ...EMPTY_FORM,
        name: item.name,
        quantity: quantityMilli !== null ? formatQuantity(quantityMilli, lang) : needsQuantity ? '' : '1',
        price: item.priceKop > 0 ? kopToInputText(item.priceKop, lang) : '',
        vat: item.vat as typeof EMPTY_FORM.vat,
        item,
      },
      error: null,
      result: null,
    });
    const what = needsQuantity ? 'quantity' : 'price';
    useScan.setState({ notice: { kind: 'needs', what, name: item.name } });
    return what;
  }
  const quantity = quantityMilli ?? 1000;
  useSale.setState((s) => {
    if (s.lines.length >= 100) return s;
    const same =
      !item.weighed && !fromLabel
        ? s.lines.find((l) => l.code === item.code && l.priceKop === item.priceKop)
        : undefined;
    const lines = same
      ? s.lines.map((l) =>
          l === same ? { ...l, quantityMilli: Math.min(MAX_QUANTITY_MILLI, l.quantityMilli + quantity) } : l,
        )
      : [
          ...s.lines,
          {
            id: newLineId(),
            name: item.name,
            priceKop: item.priceKop,
            quantityMilli: quantity,
            vat: item.vat,
            code: item.code,
            unit: item.unit,
          },
        ];
    return { lines, error: null, result: null };
  });
  return null;
}

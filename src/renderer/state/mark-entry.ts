// A marked catalogue item (Честный ЗНАК) is sold only with the code of the very unit: adding one — a scan,
// a code, the search — asks for its DataMatrix first (MarkCodeDialog). The code is checked here with the
// station's own GS1 parser (src/shared/marking-code.ts) so a plain EAN scanned by mistake is refused at once;
// the station checks it again, and the FN and the permit service after it. Each code is its own line of
// one unit (a weighed code's line is the weight the code carries): never added to another line, never twice.
import { create } from 'zustand';
import type { CatalogItemView } from '../../shared/contract.ts';
import { MarkCodeError, markCodeLabel, parseMarkCode } from '../../shared/marking-code.ts';
import { MESSAGES } from '../i18n/index.ts';
import { kopToInputText, formatQuantity } from '../format.ts';
import type { VatCode } from './receipt.ts';
import { EMPTY_FORM, newLineId, useSale } from './sale.ts';
import { useStation } from './store.ts';

export const useMarkEntry = create<{ item: CatalogItemView | null; error: string | null }>()(() => ({
  item: null,
  error: null,
}));

export function askForMark(item: CatalogItemView): void {
  useMarkEntry.setState({ item, error: null });
}

export function markEntryOpen(): boolean {
  return useMarkEntry.getState().item !== null;
}

export function cancelMark(): void {
  useMarkEntry.setState({ item: null, error: null });
}

/** A scanned or typed code for the item asked about: the line is added, or the dialog says why not. */
export function submitMark(raw: string): boolean {
  const item = useMarkEntry.getState().item;
  if (!item) return false;
  const t = MESSAGES[useStation.getState().lang];
  let mark;
  try {
    mark = parseMarkCode(raw);
  } catch (e) {
    if (!(e instanceof MarkCodeError)) throw e;
    useMarkEntry.setState({ error: t.errMarkCode });
    return false;
  }
  const label = markCodeLabel(mark);
  const { lines, form } = useSale.getState();
  const taken = [...lines.map((l) => l.markCode), form.mark?.code];
  if (taken.some((c) => c !== undefined && markCodeLabel(parseMarkCode(c)) === label)) {
    useMarkEntry.setState({ error: t.errMarkTwice });
    return false;
  }
  if (lines.length >= 100) return false;
  const quantityMilli = item.weighed && mark.netWeightG ? mark.netWeightG : 1000;
  if (item.freePrice || item.priceKop === 0) {
    // Priced at the till: the unit waits in the form, its code and quantity fixed, for the price
    // (SaleScreen puts the cursor in «Цена»); never a line at 0.00.
    const lang = useStation.getState().lang;
    useSale.setState({
      form: {
        ...EMPTY_FORM,
        name: item.name,
        quantity: formatQuantity(quantityMilli, lang),
        price: item.priceKop > 0 ? kopToInputText(item.priceKop, lang) : '',
        vat: item.vat as VatCode,
        editingId: null,
        item,
        mark: { code: mark.code, quantityMilli },
      },
      error: null,
      result: null,
    });
    cancelMark();
    return true;
  }
  useSale.setState((s) => ({
    lines: [
      ...s.lines,
      {
        id: newLineId(),
        name: item.name,
        priceKop: item.priceKop,
        quantityMilli,
        vat: item.vat,
        code: item.code,
        unit: item.unit,
        markCode: mark.code,
      },
    ],
    error: null,
    result: null,
  }));
  cancelMark();
  return true;
}

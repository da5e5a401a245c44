// The sale a refund is for, as the refund screen (IPC receipt.refundable) and integrators (REST GET
// /v1/kkt/receipts/lookup) find it: findSaleForRefund (core/fiscal/refundable.ts), except that it never
// guesses between sales that share an FD number. FD numbers restart with each FN, so after an FN
// replacement "FD 42" (with the same total, or with none given) can name two sales: that is a 409
// sale_ambiguous listing them, and the caller asks again with the FN number (or the QR, which has it),
// the total, or the receipt's id.
import { StationError } from '../../shared/errors.ts';
import { isFiscalised } from '../../shared/receipt-states.ts';
import type { ReceiptStore } from '../core/buffer/receipt-store.ts';
import { findSaleForRefund, type RefundableSale, type SaleKey } from '../core/fiscal/refundable.ts';

export function lookupSaleForRefund(store: ReceiptStore, key: SaleKey): RefundableSale {
  if (!('id' in key) && !key.fnNumber) {
    const same = store
      .salesByFd(key.fdNumber)
      .filter((r) => isFiscalised(r.status))
      .filter((r) => key.totalKop === undefined || r.totalKop === key.totalKop);
    if (same.length > 1)
      throw new StationError(
        'sale_ambiguous',
        409,
        `FD ${key.fdNumber} names ${same.length} sales in this station's buffer, printed by different FNs (FD numbers restart with each FN): ask again with the FN number on the customer's receipt, or scan its QR.`,
        {
          fd_number: key.fdNumber,
          candidates: same.map((r) => ({
            receipt_id: r.id,
            fn_number: r.fiscal?.fnNumber ?? null,
            total_kop: r.totalKop,
            fiscal_datetime: r.fiscal?.fiscalDatetime ?? null,
          })),
        },
      );
  }
  return findSaleForRefund(store, key);
}

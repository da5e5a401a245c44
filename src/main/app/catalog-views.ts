// The catalogue as the contract shows it to the screens (src/shared/contract.ts).
import type { CatalogItem } from '../core/catalog/catalog-item.ts';
import type { ScanOutcome } from '../core/catalog/scan.ts';
import type { CatalogItemView, CatalogScanView } from '../../shared/contract.ts';

export function catalogItemView(item: CatalogItem): CatalogItemView {
  return {
    code: item.code,
    name: item.name,
    priceKop: item.priceKop,
    vat: item.vat,
    unit: item.unit,
    barcodes: item.barcodes,
    weighed: item.weighed,
    marked: item.marked,
    freePrice: item.freePrice,
    paymentSubject: item.paymentSubject,
  };
}

export function catalogScanView(code: string, r: ScanOutcome): CatalogScanView {
  if (r.kind === 'item')
    return { kind: 'item', code, item: catalogItemView(r.item), quantityMilli: r.quantityMilli };
  return r.itemCode === undefined
    ? { kind: 'unknown', code, reason: r.reason }
    : { kind: 'unknown', code, reason: r.reason, itemCode: r.itemCode };
}

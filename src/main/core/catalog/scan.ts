// What the till does with a scanned code, in the order a grocery till needs:
//   1. the code as a barcode of an item (any symbology: EAN, UPC-A in either length, Code 128, the
//      shop's internal codes) — a shop may even have registered a 2x… code as an ordinary barcode;
//   2. a weight label (prefixes 20–29 by default, layout configurable): the item by the label's code,
//      the quantity from the grams;
//   3. the code as the item's own code (a shop's internal code without a barcode of its own);
//   4. a GTIN-length digit string whose check digit is wrong: a misread, scan again;
//   5. unknown.
import {
  gtinCheckDigitOk,
  gtinVariants,
  looksLikeGtin,
  parseWeightBarcode,
  type WeightLayout,
} from '../../../shared/barcode.ts';
import type { CatalogItem } from './catalog-item.ts';
import type { CatalogStore } from './catalog-store.ts';

export type ScanOutcome =
  | {
      kind: 'item';
      item: CatalogItem;
      /** From a weight label; null: the cashier's quantity. */ quantityMilli: number | null;
    }
  | { kind: 'unknown'; reason: 'not_found' | 'bad_check_digit' | 'weight_item_unknown'; itemCode?: string };

/** Thousandths of the item's unit for a weight in grams: kg (and any other unit) 754 g → 0.754; g → 754. */
function weightQuantity(item: CatalogItem, grams: number): number {
  if (item.unit === 10) return grams * 1000; // г
  if (item.unit === 12) return Math.max(1, Math.round(grams / 1000)); // т: thousandths of a tonne are kg
  return grams; // кг: 1 g = 0.001 kg
}

export function resolveScan(store: CatalogStore, code: string, weight: WeightLayout): ScanOutcome {
  for (const v of gtinVariants(code)) {
    const item = store.byBarcode(v);
    if (item) return { kind: 'item', item, quantityMilli: null };
  }
  const label = parseWeightBarcode(code, weight);
  if (label) {
    const item = store.get(label.itemCode) ?? store.get(String(Number(label.itemCode)));
    if (!item) return { kind: 'unknown', reason: 'weight_item_unknown', itemCode: label.itemCode };
    return { kind: 'item', item, quantityMilli: weightQuantity(item, label.grams) };
  }
  const byCode = store.get(code);
  if (byCode) return { kind: 'item', item: byCode, quantityMilli: null };
  if (looksLikeGtin(code) && !gtinCheckDigitOk(code)) return { kind: 'unknown', reason: 'bad_check_digit' };
  return { kind: 'unknown', reason: 'not_found' };
}

// Checking a whole batch of catalogue entries before anything is written: each entry with the item
// schema, then across the batch (one code twice, one barcode on two items). Every problem is
// reported, each named by where the caller will look for it: `items[3].price` for the ERP, `row 5,
// price` for a CSV file. Nothing is stored unless the whole batch is good.
import { CatalogValidationError, type FieldIssue } from '../../../shared/errors.ts';
import { catalogItemInputSchema, crossFieldIssues, toCatalogItem, type CatalogItem } from './catalog-item.ts';

export interface BatchEntry {
  /** Where this entry is, as the caller names it: "items[3]", "row 5". */
  where: string;
  value: unknown;
}

/** How an entry's field is named: "items[3].price" or "row 5, price". */
export type FieldNamer = (where: string, field: string) => string;

export const jsonField: FieldNamer = (where, field) => (field ? `${where}.${field}` : where);

/** Where an entry is, for a Russian message: «строка 5» for a CSV row, the JSON path as it is. */
export function placeRu(where: string): string {
  return where.replace(/^row (\d+)/, 'строка $1');
}

/** The checked items, in the batch's order; throws CatalogValidationError listing every problem. */
export function checkBatch(entries: readonly BatchEntry[], name: FieldNamer = jsonField): CatalogItem[] {
  const issues: FieldIssue[] = [];
  const items: CatalogItem[] = [];
  const codeAt = new Map<string, string>();
  const barcodeAt = new Map<string, string>();
  for (const { where, value } of entries) {
    const parsed = catalogItemInputSchema.safeParse(value);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const field = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.');
        issues.push({ field: name(where, field.replace(/\.\[/g, '[')), message: i.message });
      }
      continue;
    }
    const item = toCatalogItem(parsed.data);
    for (const i of crossFieldIssues(item)) issues.push({ field: name(where, i.field), message: i.message });
    const first = codeAt.get(item.code);
    if (first !== undefined)
      issues.push({ field: name(where, 'code'), message: `код ${item.code} уже есть: ${placeRu(first)}` });
    else codeAt.set(item.code, where);
    for (const b of new Set(item.barcodes)) {
      const other = barcodeAt.get(b);
      if (other !== undefined && other !== where)
        issues.push({ field: name(where, 'barcodes'), message: `штрихкод ${b} уже есть: ${placeRu(other)}` });
      else barcodeAt.set(b, where);
    }
    items.push(item);
  }
  if (issues.length) throw new CatalogValidationError(issues);
  return items;
}

// A catalogue item: what the station knows about a product so the cashier types nothing but a scan.
// One zod schema checks an item from every source (the ERP's PUT /v1/catalog/items, a CSV row, the
// manager's form) and is the REST API's description of it, so the three cannot accept different things.
import { z } from 'zod';
import { SCAN_PATTERN } from '../../../shared/barcode.ts';
import { roublesToKopecks } from '../../../shared/money.ts';
import { UNITS, parseUnit } from '../../../shared/units.ts';
import type { VatCode } from '../kkt/kkt.ts';
import {
  NO_CONTROL_CHARACTERS,
  PAYMENT_SUBJECTS,
  codeOrName,
  parseVat,
  printableText,
} from '../fiscal/receipt-request.ts';

export interface CatalogItem {
  /** The shop's own code (1C «код», МойСклад «код»): the key an ERP upserts by. */
  code: string;
  name: string;
  priceKop: number;
  vat: VatCode;
  /** FFD tag 2108 unit code (src/shared/units.ts). */
  unit: number;
  barcodes: string[];
  /** Sold by weight: a weight label gives its quantity; typed quantities may have 3 decimals. */
  weighed: boolean;
  /** Marked goods (Честный знак): the line needs the mark's code (the fiscal part checks it). */
  marked: boolean;
  /** The cashier may change the price at the till. */
  freePrice: boolean;
  /** FFD tag 1212, 1 = товар. */
  paymentSubject: number;
}

export const MAX_CATALOG_CODE = 64;
export const MAX_BARCODES = 20;

/** Yes/no as JSON booleans, or as a CSV/1C cell: 1/0, да/нет, true/false, yes/no, + / -, empty = no. */
export function flag(field: string) {
  return z
    .union([z.boolean(), z.number(), z.string()], { error: `${field} must be yes or no (1/0, да/нет)` })
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || typeof v === 'boolean') return v ?? false;
      const text = String(v).trim().toLowerCase();
      if (['1', 'да', 'true', 'yes', 'y', '+', 'д'].includes(text)) return true;
      if (['0', 'нет', 'false', 'no', 'n', '-', 'н', ''].includes(text)) return false;
      ctx.addIssue({
        code: 'custom',
        message: `${field} must be yes or no (1/0, да/нет), got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    })
    .meta({ description: 'true/false (also 1/0, да/нет); default false' });
}

export const catalogCodeSchema = z
  .string({ error: 'code is required: the item code in the shop system' })
  .trim()
  .min(1, { error: 'code must not be empty' })
  .max(MAX_CATALOG_CODE, { error: `code must be at most ${MAX_CATALOG_CODE} characters` })
  .regex(NO_CONTROL_CHARACTERS, { error: 'code must not contain control characters' })
  .regex(/^[^|]*$/, { error: 'code must not contain |' })
  .meta({ description: 'The item code in the shop system (1C, МойСклад): the key of the upsert' });

const barcodeSchema = z
  .string({ error: 'a barcode must be text' })
  .trim()
  .regex(SCAN_PATTERN, { error: 'a barcode is 1–64 printable ASCII characters without spaces' });

export const catalogItemInputSchema = z.object({
  code: catalogCodeSchema,
  name: printableText('name', 128, 'name is required: the item name as printed on the receipt'),
  price: z
    .union([z.number(), z.string()], { error: 'price must be roubles, e.g. 89.90' })
    .transform((v, ctx) => {
      const kop = roublesToKopecks(typeof v === 'string' ? v.replace(',', '.').replace(/\s/g, '') : v);
      if (kop === null) {
        ctx.addIssue({
          code: 'custom',
          message: `price must be an amount in roubles with at most 2 decimals, e.g. 89.90 (got ${JSON.stringify(v)})`,
        });
        return z.NEVER;
      }
      return kop;
    })
    .meta({ description: 'Roubles, at most 2 decimals (0 only with price_editable)' }),
  vat_rate: z
    .union([z.number(), z.string()], { error: 'vat_rate is required: 22, 20, 10, 0 or none' })
    .transform((v, ctx) => {
      const vat = parseVat(v);
      if (!vat) {
        ctx.addIssue({
          code: 'custom',
          message: `vat_rate must be 22, 20, 10, 7, 5, 0, 22/122, 20/120, 10/110, 7/107, 5/105 or none (got ${JSON.stringify(v)})`,
        });
        return z.NEVER;
      }
      return vat;
    })
    .meta({ description: '22, 20, 10, 7, 5, 0, 22/122, 10/110 … or none (also "10%", "vat10", "без НДС")' }),
  unit: z
    .union([z.number(), z.string()], { error: 'unit must be an FFD unit code or name' })
    .optional()
    .transform((v, ctx) => {
      const unit = v === undefined ? 0 : parseUnit(v);
      if (unit === null) {
        ctx.addIssue({
          code: 'custom',
          message: `unit must be an FFD 1.2 unit (tag 2108): ${UNITS.map((u) => `${u.code} ${u.short}`).join(', ')} (got ${JSON.stringify(v)})`,
        });
        return z.NEVER;
      }
      return unit;
    })
    .meta({ description: 'FFD 1.2 tag 2108 code (0 шт, 11 кг, 41 л …) or its short name; default 0 (шт)' }),
  barcodes: z
    .array(barcodeSchema, { error: 'barcodes must be a list of barcodes' })
    .max(MAX_BARCODES, { error: `an item has at most ${MAX_BARCODES} barcodes` })
    .optional()
    .meta({ description: 'EAN-13, EAN-8, UPC-A, Code 128 or internal codes; each names one item' }),
  weighed: flag('weighed'),
  marked: flag('marked'),
  price_editable: flag('price_editable'),
  payment_subject: z
    .preprocess(
      (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v), // a CSV cell's "4"
      codeOrName(PAYMENT_SUBJECTS, 26),
    )
    .optional()
    .meta({
      description: `FFD tag 1212; default 1 (commodity); or ${Object.keys(PAYMENT_SUBJECTS).join(', ')}`,
    }),
});

export type CatalogItemInput = z.input<typeof catalogItemInputSchema>;

/** The checks across fields, after each field passed its own; each names its field. */
export function crossFieldIssues(item: CatalogItem): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  if (item.priceKop === 0 && !item.freePrice)
    issues.push({
      field: 'price',
      message: 'price must be above 0.00 unless the cashier may set it at the till (price_editable)',
    });
  if (new Set(item.barcodes).size !== item.barcodes.length)
    issues.push({ field: 'barcodes', message: 'the same barcode is listed twice' });
  return issues;
}

/** The parsed schema output as a catalogue item. */
export function toCatalogItem(p: z.output<typeof catalogItemInputSchema>): CatalogItem {
  return {
    code: p.code,
    name: p.name,
    priceKop: p.price,
    vat: p.vat_rate,
    unit: p.unit,
    barcodes: p.barcodes ?? [],
    weighed: p.weighed,
    marked: p.marked,
    freePrice: p.price_editable,
    paymentSubject: p.payment_subject ?? 1,
  };
}

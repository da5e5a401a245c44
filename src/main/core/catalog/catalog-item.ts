// A catalogue item: what the station knows about a product so the cashier types nothing but a scan.
// One zod schema checks an item from every source (the ERP's PUT /v1/catalog/items, a CSV row, the
// manager's form) and is the REST API's description of it, so the three cannot accept different things.
// Its messages are Russian: the manager reads them in the UI and from `npm run catalog`; the ERP gets
// them beside the machine-readable field path (`items[3].price`, `row 12, price`).
import { z } from 'zod';
import { SCAN_PATTERN } from '../../../shared/barcode.ts';
import { roublesToKopecks } from '../../../shared/money.ts';
import { UNITS, parseUnit } from '../../../shared/units.ts';
import type { VatCode } from '../kkt/kkt.ts';
import { NO_CONTROL_CHARACTERS, PAYMENT_SUBJECTS, codeOrName, parseVat } from '../fiscal/receipt-request.ts';

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
    .union([z.boolean(), z.number(), z.string()], { error: `${field}: нужно «да» или «нет» (1/0, да/нет)` })
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || typeof v === 'boolean') return v ?? false;
      const text = String(v).trim().toLowerCase();
      if (['1', 'да', 'true', 'yes', 'y', '+', 'д'].includes(text)) return true;
      if (['0', 'нет', 'false', 'no', 'n', '-', 'н', ''].includes(text)) return false;
      ctx.addIssue({
        code: 'custom',
        message: `нужно «да» или «нет» (1/0, да/нет), а указано ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    })
    .meta({ description: 'true/false (also 1/0, да/нет); default false' });
}

export const catalogCodeSchema = z
  .string({ error: 'нужен код товара — код из учётной системы магазина' })
  .trim()
  .min(1, { error: 'код товара не может быть пустым' })
  .max(MAX_CATALOG_CODE, { error: `код товара — не длиннее ${MAX_CATALOG_CODE} символов` })
  .regex(NO_CONTROL_CHARACTERS, { error: 'в коде товара не должно быть управляющих символов' })
  .regex(/^[^|]*$/, { error: 'в коде товара не должно быть символа |' })
  .meta({ description: 'The item code in the shop system (1C, МойСклад): the key of the upsert' });

const barcodeSchema = z
  .string({ error: 'штрихкод должен быть текстом' })
  .trim()
  .regex(SCAN_PATTERN, { error: 'штрихкод — от 1 до 64 латинских букв и цифр без пробелов' });

const MAX_NAME = 128;
const nameSchema = z
  .string({ error: 'нужно наименование товара — как оно печатается в чеке' })
  .trim()
  .min(1, { error: 'наименование не может быть пустым' })
  .max(MAX_NAME, { error: `наименование — не длиннее ${MAX_NAME} символов: длиннее ККТ не печатает` })
  .regex(NO_CONTROL_CHARACTERS, {
    error:
      'в наименовании не должно быть переводов строки и управляющих символов: ККТ печатает его одной строкой',
  });

export const catalogItemInputSchema = z.object({
  code: catalogCodeSchema,
  name: nameSchema,
  price: z
    .union([z.number(), z.string()], { error: 'цена должна быть числом в рублях, например 89,90' })
    .transform((v, ctx) => {
      const kop = roublesToKopecks(typeof v === 'string' ? v.replace(',', '.').replace(/\s/g, '') : v);
      if (kop === null) {
        ctx.addIssue({
          code: 'custom',
          message: `цена должна быть числом в рублях, не больше 2 знаков после запятой, например 89,90 (указано ${JSON.stringify(v)})`,
        });
        return z.NEVER;
      }
      return kop;
    })
    .meta({ description: 'Roubles, at most 2 decimals (0 only with price_editable)' }),
  vat_rate: z
    .union([z.number(), z.string()], { error: 'нужна ставка НДС: 22, 20, 10, 0 или none (без НДС)' })
    .transform((v, ctx) => {
      const vat = parseVat(v);
      if (!vat) {
        ctx.addIssue({
          code: 'custom',
          message: `ставка НДС — 22, 20, 10, 7, 5, 0, 22/122, 20/120, 10/110, 7/107, 5/105 или none (без НДС); указано ${JSON.stringify(v)}`,
        });
        return z.NEVER;
      }
      return vat;
    })
    .meta({ description: '22, 20, 10, 7, 5, 0, 22/122, 10/110 … or none (also "10%", "vat10", "без НДС")' }),
  unit: z
    .union([z.number(), z.string()], { error: 'единица измерения — код или название единицы ФФД' })
    .optional()
    .transform((v, ctx) => {
      const unit = v === undefined ? 0 : parseUnit(v);
      if (unit === null) {
        ctx.addIssue({
          code: 'custom',
          message: `единица измерения — одна из единиц ФФД 1.2 (тег 2108): ${UNITS.map((u) => `${u.code} ${u.short}`).join(', ')}; указано ${JSON.stringify(v)}`,
        });
        return z.NEVER;
      }
      return unit;
    })
    .meta({ description: 'FFD 1.2 tag 2108 code (0 шт, 11 кг, 41 л …) or its short name; default 0 (шт)' }),
  barcodes: z
    .array(barcodeSchema, { error: 'штрихкоды — список штрихкодов' })
    .max(MAX_BARCODES, { error: `у товара не больше ${MAX_BARCODES} штрихкодов` })
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
      message: 'цена должна быть больше 0,00, если кассир не вводит её сам (price_editable)',
    });
  if (new Set(item.barcodes).size !== item.barcodes.length)
    issues.push({ field: 'barcodes', message: 'один и тот же штрихкод указан дважды' });
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

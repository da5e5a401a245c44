// Validation of a receipt request (the old service's body, with optional extensions) into a
// normalised draft in kopecks. Every rule names the field and says what a valid value looks like,
// because the person reading the message is an integrator or a cashier, not us.
// About 550 lines: one schema for every field of a receipt and a correction (FFD 1.2 lines, marks,
// catalogue codes, refunds by FD) so each rule is stated once; the field parsers above it are small.
//
// The zod schema here is also the REST API's description of the body (src/main/rest/operations.ts
// turns it into OpenAPI with z.toJSONSchema, io: 'input'), so what is documented is what is checked.
//
// Printed text (item names, the cashier's name, pos_id, a refund's original id) must not hold control
// characters (C0, DEL, C1: line breaks, tabs, ESC…). They are REFUSED with 422 naming the field, not
// stripped: the KKT would print them raw (an ESC sequence can drive the printer), and silently changing
// what the integrator asked to print would make the receipt differ from their records; a clear refusal
// lets them fix the source of the bad text.
import { isBuyerEmail, normaliseBuyerPhone } from '../../../shared/buyer-contact.ts';
import { z } from 'zod';
import { VAT_CODES, type KktReceiptLine, type VatCode } from '../kkt/kkt.ts';
import {
  MAX_KOPECKS,
  formatKopecks,
  lineTotalKop,
  quantityToMilli,
  roublesToKopecks,
} from '../../../shared/money.ts';
import { ReceiptValidationError, type FieldIssue } from '../../../shared/errors.ts';
import { isValidPersonInn } from '../../../shared/inn.ts';
import { UNIT_PIECE, UNITS, parseUnit } from '../../../shared/units.ts';
import type { PaymentType, ReceiptDraft, ReceiptType } from '../buffer/receipt-draft.ts';
import { SUBJECT_MARKED_GOOD, checkDistinctMarks, markCodeField, markOfItem } from './marking/mark-lines.ts';
import { applyDiscounts, itemDiscountFields, receiptDiscountFields } from './discount-lines.ts';

/** Old `vat_rate` spellings (numbers, "20%", "vat20", "none") and the new codes, mapped to one code. */
const VAT_ALIASES: Record<string, VatCode> = {
  '22': 'vat22',
  '20': 'vat20',
  '10': 'vat10',
  '7': 'vat7',
  '5': 'vat5',
  '0': 'vat0',
  '22/122': 'vat122',
  '20/120': 'vat120',
  '10/110': 'vat110',
  '7/107': 'vat107',
  '5/105': 'vat105',
  none: 'none',
  no_vat: 'none',
  novat: 'none',
  'без ндс': 'none',
};

export function parseVat(value: unknown): VatCode | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim().toLowerCase().replace(/\s*%$/, '');
  if ((VAT_CODES as readonly string[]).includes(text)) return text as VatCode;
  return VAT_ALIASES[text.replace(/^vat_?/, '')] ?? null;
}

const PAYMENT_METHODS: Record<string, number> = {
  full_prepayment: 1,
  prepayment: 2,
  advance: 3,
  full_payment: 4,
  partial_payment: 5,
  credit: 6,
  credit_payment: 7,
};
export const PAYMENT_SUBJECTS: Record<string, number> = {
  commodity: 1,
  excise: 2,
  job: 3,
  service: 4,
  payment: 10,
  agent_commission: 11,
  another: 13,
  marked_good: 33,
};

/** No C0 control, DEL or C1 control anywhere: nothing a KKT line can print. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f-\u009f]*$/;

/** A string the KKT prints: trimmed, `min`–`max` characters, no control characters. */
export function printableText(field: string, max: number, required: string) {
  return z
    .string({ error: required })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} must be at most ${max} characters` })
    .regex(NO_CONTROL_CHARACTERS, {
      error: `${field} must not contain control characters (line breaks, tabs, escape codes): the KKT prints it as one line`,
    });
}

export function codeOrName(table: Record<string, number>, max: number) {
  return z.union([z.number().int().min(1).max(max), z.string()]).transform((v, ctx) => {
    if (typeof v === 'number') return v;
    const code = table[v];
    if (code === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `must be one of ${Object.keys(table).join(', ')} or a number 1–${max}`,
      });
      return z.NEVER;
    }
    return code;
  });
}

const numberOrText = (what: string, description: string) =>
  z
    .union([z.number(), z.string()], {
      error: (iss) =>
        `${what} must be a number or a numeric string (got ${JSON.stringify(iss.input) ?? 'nothing'})`,
    })
    .meta({ description });

const amount = (what: string) =>
  numberOrText(what, 'Roubles, at most 2 decimals, e.g. 199.90 or "199.90"').transform((v, ctx) => {
    const kop = roublesToKopecks(v);
    if (kop === null) {
      ctx.addIssue({
        code: 'custom',
        message: `${what} must be an amount in roubles with at most 2 decimals, e.g. 199.90 (got ${JSON.stringify(v) ?? 'nothing'})`,
      });
      return z.NEVER;
    }
    return kop;
  });

/** Tag 2108: an FFD code (0, 11, 41 …) or a unit name (шт, кг, л …); an unknown one is refused. */
const measureSchema = z
  .union([z.number(), z.string().max(16)], { error: 'measure must be a unit code or name, e.g. 11 or "кг"' })
  .transform((v, ctx) => {
    const code = parseUnit(v);
    if (code === null) {
      ctx.addIssue({
        code: 'custom',
        message: `measure ${JSON.stringify(v)} is not a unit of tag 2108; use a code (${UNITS.map((m) => m.code).join(', ')}) or a name (${UNITS.map((m) => m.short).join(', ')})`,
      });
      return z.NEVER;
    }
    return code;
  })
  .meta({
    description: `Tag 2108 unit (FFD 1.2): a code or a name — ${UNITS.map((m) => `${m.code} ${m.short}`).join(', ')}. Default 0 (шт); a refund takes its sale's`,
  });

/** Tag 1203: a person's 12-digit INN whose check digits are right. */
export const cashierInnSchema = z
  .string({ error: 'cashier_inn must be the 12-digit INN of the cashier, as text' })
  .trim()
  .refine((v) => /^\d{12}$/.test(v), { error: "cashier_inn must be exactly 12 digits (a person's INN)" })
  .refine((v) => !/^\d{12}$/.test(v) || isValidPersonInn(v), {
    error:
      "cashier_inn has wrong check digits: it is not a valid INN (check it against the cashier's documents)",
  })
  .meta({ description: "Tag 1203, the cashier's INN: 12 digits, check digits validated" });

export const itemSchema = z.object({
  code: z
    .string({ error: 'code must be the text of a catalogue item code' })
    .trim()
    .min(1, { error: 'code must not be empty' })
    .max(64, { error: 'code is at most 64 characters' })
    .optional()
    .meta({
      description:
        'A catalogue item code (GET /v1/catalog/items): the station fills in name, price, vat and total from the catalogue; fields given here win',
    }),
  name: printableText('name', 128, 'name is required: the item name as printed on the receipt')
    .optional()
    .meta({ description: 'Required unless code names a catalogue item' }),
  price: amount('price')
    .optional()
    .meta({ description: 'Roubles; required unless code names a catalogue item' }),
  quantity: numberOrText('quantity', 'At most 3 decimals, > 0, e.g. 1 or 0.250').transform((v, ctx) => {
    const milli = quantityToMilli(v);
    if (milli === null || milli === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `quantity must be a positive number with at most 3 decimals, e.g. 1 or 0.250 (got ${JSON.stringify(v) ?? 'nothing'})`,
      });
      return z.NEVER;
    }
    return milli;
  }),
  total: amount('total')
    .optional()
    .meta({ description: 'Roubles; required unless code names a catalogue item (then price × quantity)' }),
  vat_rate: numberOrText(
    'vat_rate',
    '22, 20, 10, 7, 5, 0, 22/122, 20/120, 10/110, 7/107, 5/105 or none (also "20%", "vat20")',
  ).optional(),
  vat: z
    .string({ error: 'vat must be a VAT code such as vat22 or none' })
    .max(16)
    .optional()
    .meta({
      description: `Overrides vat_rate: ${VAT_CODES.join(', ')}`,
    }),
  payment_method: codeOrName(PAYMENT_METHODS, 7)
    .optional()
    .meta({
      description: `Tag 1214; default 4 (full_payment); or ${Object.keys(PAYMENT_METHODS).join(', ')}`,
    }),
  payment_subject: codeOrName(PAYMENT_SUBJECTS, 33)
    .refine((v) => v !== 28 && v !== 29, {
      error: 'payment_subject 28 and 29 are not codes of tag 1212 (FFD 1.2: 1–27, 30–33)',
    })
    .optional()
    .meta({
      description: `Tag 1212 (FFD 1.2 table 101: 1–27, 30–33); default 1 (commodity), 33 for a line with mark_code, a refund takes its sale's; or ${Object.keys(PAYMENT_SUBJECTS).join(', ')}`,
    }),
  mark_code: markCodeField,
  measure: measureSchema.optional(),
});

export const paymentSchema = z.object({
  type: z.enum(['cash', 'card', 'other'], { error: 'type must be cash, card or other' }),
  amount: amount('amount'),
});

/** A receipt's lines (1–100) of the given line schema: a sale's lines may carry discounts, a correction's not. */
export function receiptItemsOf<Line extends z.ZodType>(line: Line) {
  return z
    .array(line, { error: 'items must be a list of receipt lines' })
    .min(1, { error: 'items must hold at least one line' })
    .max(100, { error: 'a receipt holds at most 100 lines' });
}
export const receiptItemsSchema = receiptItemsOf(itemSchema);
export const receiptPaymentsSchema = z
  .array(paymentSchema, { error: 'payments must be a list of {type, amount}' })
  .min(1, { error: 'payments must hold at least one payment' })
  .max(10, { error: 'at most 10 payments' });

/** The receipt request body (the old service's contract): validates it and describes it in OpenAPI. */
export const receiptRequestSchema = z.object({
  pos_id: printableText('pos_id', 64, 'pos_id is required: the identifier of the till'),
  type: z.enum(['sale', 'refund', 'correction'], { error: 'type must be sale or refund' }).meta({
    description:
      '"correction" is part of the old contract but is refused here: a correction receipt is POST /v1/kkt/correction.',
  }),
  items: receiptItemsOf(itemSchema.extend(itemDiscountFields)),
  payments: receiptPaymentsSchema,
  ...receiptDiscountFields,
  original_receipt_id: printableText('original_receipt_id', 64, 'original_receipt_id must be text')
    .optional()
    .meta({ description: 'Required for a refund: the receipt_id of the sale it returns' }),
  original_fiscal: z
    .object(
      {
        fd_number: z
          .int({ error: 'original_fiscal.fd_number must be a whole FD number' })
          .min(1, { error: 'original_fiscal.fd_number must be 1 or more' })
          .max(0xffffffff, { error: 'original_fiscal.fd_number is too large for an FD number' }),
        total: amount('original_fiscal.total'),
      },
      { error: 'original_fiscal must be {fd_number, total}' },
    )
    .optional()
    .meta({
      description:
        'A refund of a sale no longer in the buffer (older than the retention): its FD number and total as printed on it. Needs the manager PIN (X-Manager-Pin); instead of original_receipt_id',
    }),
  refund_before_sync: z.boolean({ error: 'refund_before_sync must be true or false' }).optional().meta({
    description:
      'The manager refunds a sale the OFD has not accepted yet (needs X-Manager-Pin); the refund is sent to the OFD after its sale',
  }),
  payout_override: z.boolean({ error: 'payout_override must be true or false' }).optional().meta({
    description:
      'A card sale is refunded to card; true lets the manager pay it out otherwise, e.g. in cash (needs X-Manager-Pin)',
  }),
  buyer_email: z
    .string({ error: 'buyer_email must be an e-mail address' })
    .trim()
    .refine(isBuyerEmail, { error: 'buyer_email must be an e-mail address of at most 64 characters' })
    .optional()
    .meta({
      description: 'Tag 1008: the buyer gets an electronic receipt at this e-mail (not with buyer_phone)',
    }),
  buyer_phone: z
    .string({ error: 'buyer_phone must be a Russian phone number, e.g. +79161234567' })
    .transform((v, ctx) => {
      const phone = normaliseBuyerPhone(v);
      if (phone === null)
        ctx.issues.push({
          code: 'custom',
          input: v,
          message: 'buyer_phone must be a Russian phone number, e.g. +79161234567 or 8 916 123-45-67',
        });
      return phone ?? v;
    })
    .optional()
    .meta({
      description:
        'Tag 1008: the buyer gets an electronic receipt by SMS; +7 and 10 digits (8…, spaces, dashes and brackets are accepted and normalised)',
    }),
  cashier_name: printableText('cashier_name', 64, 'cashier_name must be text').optional().meta({
    description:
      'Tag 1021; when absent, the cashier who opened the shift (then the KKT driver\'s default, "Кассир")',
  }),
  cashier_inn: cashierInnSchema.optional(),
});

/** A line that lacks what a line needs: the request is refused with the line's issues. */
const UNUSABLE_LINE: KktReceiptLine = {
  name: '',
  priceKop: 0,
  quantityMilli: 0,
  totalKop: 0,
  vat: 'none',
  paymentMethod: 4,
  paymentSubject: 1,
};

type ParsedItem = z.output<typeof itemSchema>;
type FilledItem = Omit<ParsedItem, 'name' | 'price' | 'total'> & {
  name: string;
  price: number;
  total: number;
  /** The catalogue's VAT, when the line gave none of its own. */
  vatCode?: VatCode;
};

/**
 * A line with what its catalogue item supplies (the line's own fields win), or, without a code, with
 * the fields a line must have. A missing field or an unknown code is an issue naming the field.
 */
function withCatalog(
  item: ParsedItem,
  i: number,
  catalog: (code: string) => CatalogLine | null,
  issues: FieldIssue[],
): FilledItem {
  const found = item.code !== undefined ? catalog(item.code) : null;
  if (item.code !== undefined && !found)
    issues.push({
      field: `items[${i}].code`,
      message: `no catalogue item has the code ${JSON.stringify(item.code)} (GET /v1/catalog/items lists them)`,
    });
  const name = item.name ?? found?.name;
  const price = item.price ?? found?.priceKop;
  if (name === undefined && !item.code)
    issues.push({
      field: `items[${i}].name`,
      message: 'name is required: the item name as printed on the receipt',
    });
  if (price === undefined && !item.code)
    issues.push({
      field: `items[${i}].price`,
      message: 'price is required (roubles), or name a catalogue item by code',
    });
  if (item.total === undefined && !item.code)
    issues.push({
      field: `items[${i}].total`,
      message: 'total is required (roubles), or name a catalogue item by code',
    });
  const noVat = item.vat === undefined && item.vat_rate === undefined;
  return {
    ...item,
    name: name ?? '?',
    price: price ?? 0,
    total: item.total ?? lineTotalKop(price ?? 0, item.quantity),
    payment_subject: item.payment_subject ?? found?.paymentSubject,
    measure: item.measure ?? found?.unit,
    ...(noVat && found ? { vatCode: found.vat } : {}),
  };
}

export function fieldName(path: PropertyKey[]): string {
  return (
    path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || 'body'
  );
}

/** What a receipt line takes from the catalogue when the request names the item by its code. */
export interface CatalogLine {
  name: string;
  priceKop: number;
  vat: VatCode;
  paymentSubject: number;
  /** Tag 2108 unit code of the item (0 шт); a line without its own `measure` takes it. */
  unit?: number;
}

/** Runs a zod schema over a body; a ReceiptValidationError lists every problem with its field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, expects: string): z.output<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ReceiptValidationError([{ field: 'body', message: `must be a JSON object with ${expects}` }]);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ReceiptValidationError(
      parsed.error.issues.map((i) => ({ field: fieldName(i.path), message: i.message })),
    );
  }
  return parsed.data;
}

/** Which per-line details a request named itself (a refund takes the others from its sale). */
export interface LineDetailsGiven {
  measure: boolean;
  paymentMethod: boolean;
  paymentSubject: boolean;
}

type ParsedPayment = z.output<typeof paymentSchema>;

/**
 * Lines and payments of a receipt or correction, checked together; problems go to `issues`. `catalog`
 * finds the items a line names by `code` (none: a code is refused as unknown).
 */
export function linesAndPayments(
  reqItems: ParsedItem[],
  reqPayments: ParsedPayment[],
  issues: FieldIssue[],
  catalog: (code: string) => CatalogLine | null = () => null,
  /** Re-prices the valid lines before the totals (a sale's discounts, discount-lines.ts). */
  reprice?: (
    items: KktReceiptLine[],
    given: LineDetailsGiven[],
  ) => Pick<ReceiptDraft, 'items' | 'discount'> & { given: LineDetailsGiven[] },
): Pick<
  ReceiptDraft,
  'items' | 'payments' | 'totalKop' | 'cashKop' | 'cardKop' | 'otherKop' | 'changeKop' | 'discount'
> & {
  given: LineDetailsGiven[];
} {
  let given: LineDetailsGiven[] = [];
  let items: KktReceiptLine[] = reqItems.map((requested, i) => {
    given.push({
      measure: requested.measure !== undefined,
      paymentMethod: requested.payment_method !== undefined,
      paymentSubject: requested.payment_subject !== undefined,
    });
    const before = issues.length;
    const item = withCatalog(requested, i, catalog, issues);
    if (issues.length > before) return UNUSABLE_LINE; // its missing fields are the news, not their sums
    const vat = item.vatCode ?? parseVat(item.vat ?? item.vat_rate);
    if (!vat) {
      issues.push({
        field: `items[${i}].vat_rate`,
        message: `must be a VAT rate: 22, 20, 10, 7, 5, 0, 22/122, 20/120, 10/110, 7/107, 5/105 or none (got ${JSON.stringify(item.vat ?? item.vat_rate) ?? 'nothing'})`,
      });
    }
    if (item.price === 0 || item.total === 0) {
      issues.push({
        field: `items[${i}].price`,
        message: 'a receipt line needs a price above 0.00 (remove the line or give its price)',
      });
    }
    const expected = lineTotalKop(item.price, item.quantity);
    if (Math.abs(expected - item.total) > 1) {
      issues.push({
        field: `items[${i}].total`,
        message: `${formatKopecks(item.total)} does not match price × quantity = ${formatKopecks(expected)}`,
      });
    }
    const mark = markOfItem(item.mark_code, i, item.quantity, issues);
    return {
      name: item.name,
      priceKop: item.price,
      quantityMilli: item.quantity,
      totalKop: item.total,
      vat: vat ?? 'none',
      paymentMethod: item.payment_method ?? 4,
      paymentSubject: item.payment_subject ?? (item.mark_code !== undefined ? SUBJECT_MARKED_GOOD : 1),
      ...(mark ? { mark } : {}),
      // Absent means шт (0): a draft of a piece-goods sale stays as earlier versions stored it, so
      // their idempotency fingerprints still match.
      ...(item.measure !== undefined && item.measure !== UNIT_PIECE && { measure: item.measure }),
    };
  });
  checkDistinctMarks(items, issues);

  if (items.includes(UNUSABLE_LINE)) throw new ReceiptValidationError(issues);
  let discount: ReceiptDraft['discount'];
  if (reprice && issues.length === 0) ({ items, given, discount } = reprice(items, given));
  const totalKop = items.reduce((s, l) => s + l.totalKop, 0);
  const sumOf = (t: PaymentType) => reqPayments.filter((p) => p.type === t).reduce((s, p) => s + p.amount, 0);
  const cashKop = sumOf('cash');
  const cardKop = sumOf('card');
  const otherKop = sumOf('other');
  const paid = cashKop + cardKop + otherKop;
  if (totalKop === 0)
    issues.push({
      field: 'items',
      message: 'the receipt total is 0.00; a fiscal receipt needs a positive total',
    });
  if (totalKop > MAX_KOPECKS || paid > MAX_KOPECKS) {
    issues.push({
      field: 'items',
      message: `the receipt total or payments exceed ${formatKopecks(MAX_KOPECKS)}, the most a KKT can register; split the sale`,
    });
  }
  if (paid < totalKop) {
    issues.push({
      field: 'payments',
      message: `payments ${formatKopecks(paid)} are less than the total ${formatKopecks(totalKop)}`,
    });
  } else if (cardKop + otherKop > totalKop) {
    issues.push({
      field: 'payments',
      message: `card and other payments ${formatKopecks(cardKop + otherKop)} exceed the total ${formatKopecks(totalKop)}; only cash can give change`,
    });
  }
  return {
    items,
    payments: reqPayments.map((p) => ({ type: p.type, amountKop: p.amount })),
    totalKop,
    cashKop,
    cardKop,
    otherKop,
    changeKop: paid - totalKop,
    ...(discount && { discount }),
    given,
  };
}

/** Validates a request body; throws ReceiptValidationError listing every problem. */
export function parseReceiptRequest(
  body: unknown,
  catalog: (code: string) => CatalogLine | null = () => null,
): ReceiptDraft {
  return parseReceiptRequestDetailed(body, catalog).draft;
}

/** As parseReceiptRequest, and which line details the request named (for a refund's inheritance). */
export function parseReceiptRequestDetailed(
  body: unknown,
  catalog: (code: string) => CatalogLine | null = () => null,
): {
  draft: ReceiptDraft;
  given: LineDetailsGiven[];
} {
  const req = parseBody(receiptRequestSchema, body, 'pos_id, type, items and payments');
  const issues: FieldIssue[] = [];
  if (req.type === 'correction') {
    issues.push({
      field: 'type',
      message:
        'a correction receipt is not a receipt type here: send it to POST /v1/kkt/correction (manager only in the app)',
    });
  }
  const { given, ...money } = linesAndPayments(req.items, req.payments, issues, catalog, (items, given) =>
    applyDiscounts(req.type, req.items, req, items, given, issues),
  );
  if (req.type === 'refund' && !req.original_receipt_id && !req.original_fiscal) {
    issues.push({
      field: 'original_receipt_id',
      message:
        'a refund must name the receipt it returns (original_receipt_id, or original_fiscal for a sale older than the retention)',
    });
  }
  if (req.original_receipt_id && req.original_fiscal) {
    issues.push({
      field: 'original_fiscal',
      message: 'give either original_receipt_id or original_fiscal, not both',
    });
  }
  if (req.type !== 'refund') {
    for (const field of [
      'original_receipt_id',
      'original_fiscal',
      'refund_before_sync',
      'payout_override',
    ] as const)
      if (req[field] !== undefined)
        issues.push({ field, message: 'only a refund references an original receipt' });
  }
  if (req.original_fiscal && req.original_fiscal.total < money.totalKop) {
    issues.push({
      field: 'original_fiscal.total',
      message: `the refund ${formatKopecks(money.totalKop)} is more than the sale's total ${formatKopecks(req.original_fiscal.total)}`,
    });
  }
  if (req.buyer_email && req.buyer_phone) {
    issues.push({ field: 'buyer_email', message: 'give either buyer_email or buyer_phone, not both' });
  }
  if (issues.length) throw new ReceiptValidationError(issues);

  const draft: ReceiptDraft = {
    posId: req.pos_id,
    type: req.type as ReceiptType,
    ...money,
    originalReceiptId: req.original_receipt_id,
    ...(req.original_fiscal && {
      originalFiscal: { fdNumber: req.original_fiscal.fd_number, totalKop: req.original_fiscal.total },
    }),
    ...(req.refund_before_sync && { refundBeforeSync: true as const }),
    ...(req.payout_override && { payoutOverride: true as const }),
    buyerContact: req.buyer_email ?? req.buyer_phone,
    cashierName: req.cashier_name,
  };
  if (req.cashier_inn) draft.cashierInn = req.cashier_inn;
  return { draft, given };
}

// Validation of a receipt request (the old service's body, with optional extensions) into a
// normalised draft in kopecks. Every rule names the field and says what a valid value looks like,
// because the person reading the message is an integrator or a cashier, not us.
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
import type { PaymentType, ReceiptDraft, ReceiptType } from '../buffer/receipt-draft.ts';

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

function parseVat(value: unknown): VatCode | null {
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
const PAYMENT_SUBJECTS: Record<string, number> = {
  commodity: 1,
  excise: 2,
  job: 3,
  service: 4,
  payment: 10,
  agent_commission: 11,
  another: 13,
};

function codeOrName(table: Record<string, number>, max: number) {
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

const amount = (what: string) =>
  z.unknown().transform((v, ctx) => {
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

const itemSchema = z.object({
  name: z
    .string({ error: 'name is required: the item name as printed on the receipt' })
    .trim()
    .min(1, { error: 'name must not be empty' })
    .max(128, { error: 'name must be at most 128 characters (the KKT prints no more)' }),
  price: amount('price'),
  quantity: z.unknown().transform((v, ctx) => {
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
  total: amount('total'),
  vat_rate: z.unknown().optional(),
  vat: z.unknown().optional(),
  payment_method: codeOrName(PAYMENT_METHODS, 7).optional(),
  payment_subject: codeOrName(PAYMENT_SUBJECTS, 26).optional(),
});

const paymentSchema = z.object({
  type: z.enum(['cash', 'card', 'other'], { error: 'type must be cash, card or other' }),
  amount: amount('amount'),
});

const requestSchema = z.object({
  pos_id: z
    .string({ error: 'pos_id is required: the identifier of the till' })
    .trim()
    .min(1, { error: 'pos_id must not be empty' })
    .max(64, { error: 'pos_id must be at most 64 characters' }),
  type: z.enum(['sale', 'refund', 'correction'], { error: 'type must be sale or refund' }),
  items: z
    .array(itemSchema, { error: 'items must be a list of receipt lines' })
    .min(1, { error: 'items must hold at least one line' })
    .max(100, { error: 'a receipt holds at most 100 lines' }),
  payments: z
    .array(paymentSchema, { error: 'payments must be a list of {type, amount}' })
    .min(1, { error: 'payments must hold at least one payment' })
    .max(10, { error: 'at most 10 payments' }),
  original_receipt_id: z.string().trim().min(1).max(64).optional(),
  buyer_email: z.email({ error: 'buyer_email must be an e-mail address' }).max(64).optional(),
  buyer_phone: z
    .string()
    .regex(/^\+?\d{10,15}$/, { error: 'buyer_phone must be digits with an optional +, e.g. +79161234567' })
    .optional(),
  cashier_name: z.string().trim().min(1).max(64).optional(),
});

function fieldName(path: PropertyKey[]): string {
  return (
    path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || 'body'
  );
}

/** Validates a request body; throws ReceiptValidationError listing every problem. */
export function parseReceiptRequest(body: unknown): ReceiptDraft {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ReceiptValidationError([
      { field: 'body', message: 'must be a JSON object with pos_id, type, items and payments' },
    ]);
  }
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    throw new ReceiptValidationError(
      parsed.error.issues.map((i) => ({ field: fieldName(i.path), message: i.message })),
    );
  }
  const req = parsed.data;
  const issues: FieldIssue[] = [];
  if (req.type === 'correction') {
    issues.push({
      field: 'type',
      message:
        'correction receipts are not issued by this station; make the correction from the KKT service software',
    });
  }

  const items: KktReceiptLine[] = req.items.map((item, i) => {
    const vat = parseVat(item.vat ?? item.vat_rate);
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
    return {
      name: item.name,
      priceKop: item.price,
      quantityMilli: item.quantity,
      totalKop: item.total,
      vat: vat ?? 'none',
      paymentMethod: item.payment_method ?? 4,
      paymentSubject: item.payment_subject ?? 1,
    };
  });

  const totalKop = items.reduce((s, l) => s + l.totalKop, 0);
  const sumOf = (t: PaymentType) =>
    req.payments.filter((p) => p.type === t).reduce((s, p) => s + p.amount, 0);
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
  if (req.type === 'refund' && !req.original_receipt_id) {
    issues.push({
      field: 'original_receipt_id',
      message: 'a refund must name the receipt it returns (original_receipt_id)',
    });
  }
  if (req.type === 'sale' && req.original_receipt_id) {
    issues.push({ field: 'original_receipt_id', message: 'only a refund references an original receipt' });
  }
  if (req.buyer_email && req.buyer_phone) {
    issues.push({ field: 'buyer_email', message: 'give either buyer_email or buyer_phone, not both' });
  }
  if (issues.length) throw new ReceiptValidationError(issues);

  return {
    posId: req.pos_id,
    type: req.type as ReceiptType,
    items,
    payments: req.payments.map((p) => ({ type: p.type, amountKop: p.amount })),
    totalKop,
    cashKop,
    cardKop,
    otherKop,
    changeKop: paid - totalKop,
    originalReceiptId: req.original_receipt_id,
    buyerContact: req.buyer_email ?? req.buyer_phone,
    cashierName: req.cashier_name,
  };
}

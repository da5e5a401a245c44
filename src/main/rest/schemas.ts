// The REST API's shapes as zod schemas: what each request may carry (path, query, body) and what each
// answer holds. They are the ONE source of truth: the router validates every request with them
// (operations.ts), the OpenAPI description is generated from them (openapi.ts, z.toJSONSchema), and
// the views (views.ts) are typed by them, so the description, the checks and the answers cannot drift.
// About 570 lines: every answer shape of the API in one file, so a shared part is defined once.
//
// Request bodies ignore fields they do not know (the old service's clients send extras) — except that
// a body nested deeper than http-util's limit is refused before it is parsed into anything. Query
// strings are strict about the values they know (limit=1.5 is a 422) and ignore unknown names.
import { z } from 'zod';
import { KKT_REASONS, STATION_ERROR_CODES } from '../../shared/errors.ts';
import { FN_WARNING_BITS } from '../../shared/fn-health.ts';
import { FN_RELAY_FAILURE_CODES } from '../../shared/fn-relay-failure.ts';
import { TAX_SYSTEMS } from '../../shared/tax-systems.ts';

const FN_WARNING_NAMES = [
  ...(Object.keys(FN_WARNING_BITS) as (keyof typeof FN_WARNING_BITS)[]),
  'unknown',
] as const;
import { RECEIPT_STATES } from '../../shared/receipt-states.ts';
import { SCAN_PATTERN } from '../../shared/barcode.ts';
import { MAX_KOPECKS } from '../../shared/money.ts';
import { FISCAL_QR_MAX_LENGTH, parseFiscalQr } from '../../shared/fiscal-qr.ts';
import { NO_CONTROL_CHARACTERS, cashierInnSchema, printableText } from '../core/fiscal/receipt-request.ts';
import { catalogItemInputSchema } from '../core/catalog/catalog-item.ts';
import { quickKeysInputSchema } from '../core/catalog/quick-keys.ts';
import { QUICK_KEYS_MAX } from '../../shared/quick-keys.ts';
import { CASHIER_ROLES, cashierInputSchema } from '../core/cashiers/cashier.ts';

// ------------------------------------------------------------------------------------------------
// Requests

/** A whole-number query parameter from 1 to `max`; each refusal names the parameter (`what` it is). */
const countingParam = (name: string, max: number, what = `a whole number from 1 to ${max}`) =>
  z
    .int({ error: `${name} must be ${what}` })
    .min(1, { error: `${name} must be at least 1` })
    .max(max, { error: `${name} must be at most ${max}` })
    .optional();

/** A receipt id in the path: what POST /v1/kkt/receipt answered (a UUID), or an older id. */
export const receiptIdParam = z
  .string()
  .min(1, { error: 'the receipt id must not be empty' })
  .max(128, { error: 'a receipt id is at most 128 characters' })
  .regex(/^[\x21-\x7e]+$/, { error: 'a receipt id is printable ASCII (the receipt_id a sale answered)' })
  .meta({ description: 'The receipt_id POST /v1/kkt/receipt answered' });

export const receiptListQuery = z.object({
  limit: countingParam('limit', 500).meta({ description: 'How many receipts, newest first (default 50)' }),
});

/** GET /v1/kkt/receipts/lookup: the sale a refund is for, by the receipt's QR or its FD number and total. */
export const refundLookupQuery = z
  .object({
    qr: z
      .string()
      .max(FISCAL_QR_MAX_LENGTH, { error: `qr is at most ${FISCAL_QR_MAX_LENGTH} characters` })
      .superRefine((text, ctx) => {
        const parsed = parseFiscalQr(text);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `not a receipt QR: ${parsed.problem}` });
      })
      .optional()
      .meta({
        description:
          "The text of the QR on the customer's receipt, e.g. t=20261130T1002&s=123.45&fn=9999078900012345&i=42&fp=3522609126&n=1: i (FD number) and s (total) find the sale, fn too when given",
      }),
    fd: countingParam('fd', 4294967295, 'a whole number (the FD number on the receipt)').meta({
      description: 'FD number of the sale; with total_kop the total must match too',
    }),
    total_kop: countingParam('total_kop', MAX_KOPECKS, 'a whole number of kopecks').meta({
      description: 'Total of the sale in kopecks (only with fd)',
    }),
    fn: z
      .string()
      .regex(/^\d{16}$/, { error: 'fn must be the 16-digit FN number on the receipt' })
      .optional()
      .meta({
        description:
          'FN number of the sale (only with fd): FD numbers restart with each FN, so after an FN replacement fd alone can name two sales (409 sale_ambiguous)',
      }),
  })
  .superRefine((q, ctx) => {
    if ((q.qr === undefined) === (q.fd === undefined))
      ctx.addIssue({ code: 'custom', path: ['qr'], message: 'give either qr, or fd (with total_kop)' });
    if (q.total_kop !== undefined && q.fd === undefined)
      ctx.addIssue({ code: 'custom', path: ['total_kop'], message: 'total_kop goes with fd' });
    if (q.fn !== undefined && q.fd === undefined)
      ctx.addIssue({ code: 'custom', path: ['fn'], message: 'fn goes with fd' });
  });

const cashierName = printableText('cashier_name', 64, 'cashier_name must be text of 1–64 characters')
  .optional()
  .meta({ description: 'Printed as tag 1021; 1–64 characters' });

/** A body with no fields of its own: nothing, or a JSON object (its fields are ignored). */
export const emptyBody = z
  .object({}, { error: 'the body, when sent, must be a JSON object (or nothing)' })
  .meta({ description: 'No fields: send nothing or {}' });

export const cashierBody = z
  .object(
    { cashier_name: cashierName, cashier_inn: cashierInnSchema.optional() },
    {
      error:
        'the body must be a JSON object, e.g. {"cashier_name": "Иванова", "cashier_inn": "500100732259"}',
    },
  )
  .meta({
    description:
      'Optional: the cashier who does it (tags 1021, 1203); a shift opened with them signs its receipts and Z report',
  });

export const cashBody = z.object(
  {
    amount: z
      .union([z.number(), z.string()], {
        error: 'amount must be a positive amount in roubles with at most 2 decimals, e.g. 500.00',
      })
      .meta({ description: 'Roubles, > 0, at most 2 decimals (number or numeric string)' }),
    cashier_name: cashierName,
  },
  { error: 'the body must be a JSON object: {"amount": 500.00, "cashier_name"?: "…"}' },
);

export const acknowledgeLossBody = z.object(
  {
    acknowledged_by: z
      .string({ error: 'acknowledged_by must name the manager who acknowledges the lost buffer' })
      .trim()
      .min(1, { error: 'acknowledged_by must name the manager who acknowledges the lost buffer' })
      .max(64, { error: 'acknowledged_by must be at most 64 characters' })
      .regex(NO_CONTROL_CHARACTERS, { error: 'acknowledged_by must not contain control characters' })
      .meta({ description: 'The manager who acknowledges it; kept in the journal' }),
  },
  { error: 'the body must be a JSON object: {"acknowledged_by": "Петрова"}' },
);

export const voidBody = z
  .object(
    {
      reason: z
        .string({ error: 'reason must be text' })
        .max(200, { error: 'reason must be at most 200 characters' })
        .regex(NO_CONTROL_CHARACTERS, { error: 'reason must not contain control characters' })
        .optional()
        .meta({ description: 'Why, for the journal (default "voided through the REST API")' }),
    },
    { error: 'the body, when sent, must be a JSON object: {"reason"?: "…"}' },
  )
  .meta({ description: 'Optional reason' });

// ------------------------------------------------------------------------------------------------
// Answers

const money = z.number().meta({ description: 'Roubles' });
const isoTime = z.string().meta({ description: 'ISO 8601' });

export const errorSchema = z.object({
  error: z.enum(STATION_ERROR_CODES).meta({
    description:
      'Stable code; decide by it, never by the message. kkt_refused: the KKT did not do it, nothing was fiscalised: fix the cause and send the same request again. ' +
      'kkt_outcome_unknown: the KKT took the command but its answer was lost: do not send it again; a receipt is reconciled with the KKT archive (a sale answers 202 "buffered" instead).',
  }),
  message: z.string().meta({ description: 'What is wrong and what to do, for a person' }),
  details: z
    .unknown()
    .optional()
    .meta({
      description:
        `Machine-readable detail. For KKT errors: reason (${KKT_REASONS.join(', ')}), device_code, device_code_hex (e.g. "6Bh") and device_message when the device gave an error code; ` +
        'for a refused sale also receipt_id, receipt_status and kkt_message; refund_not_allowed: reason not_found, not_a_sale, not_synced, exceeds_sale, exceeds_line, no_such_line, mark_mismatch; sale_not_found: details.reason. ' +
        'mark_rejected: field (items[n].mark_code), line, gtin, serial, rejected_by (fn, marking_server, permit), reason, and receipt_id with receipt_status voided when the receipt had been stored. ' +
        'For validation_error: the list of {field, message}.',
    }),
});

export const fiscalDocSchema = z.object({
  fiscal_doc_number: z.int(),
  fiscal_sign: z.int(),
  fiscal_datetime: z.string().meta({ description: 'KKT local time, YYYY-MM-DDTHH:MM:SS' }),
  fn_number: z.string(),
  kkt_number: z.string(),
  shift_number: z.int(),
  receipt_number: z.int(),
  qr_code_data: z.string(),
  total: money,
  change: money,
});

export const receiptSchema = z.object({
  receipt_id: z.string(),
  status: z.enum(['pending', 'syncing', 'synced', 'failed']).meta({ description: "The old API's status" }),
  state: z.enum(RECEIPT_STATES).meta({ description: "The station's receipt state" }),
  type: z.enum(['sale', 'refund', 'correction']),
  pos_id: z.string(),
  total: money,
  total_kop: z.int(),
  original_receipt_id: z.string().nullable(),
  created_at: isoTime,
  printed_at: isoTime.nullable(),
  synced_at: isoTime.nullable(),
  fiscal_doc: fiscalDocSchema.nullable(),
  attempts: z.int(),
  last_error: z.string().nullable(),
  next_attempt_at: isoTime.nullable(),
  ofd_id: z.string().nullable(),
  items: z.array(
    z.object({
      name: z.string(),
      price: money,
      quantity: z.number(),
      total: money,
      vat: z.string(),
      measure: z.int().meta({ description: 'Tag 2108 unit code (0 шт, 11 кг, 41 л …)' }),
      measure_name: z.string().meta({ description: 'Its short name, as printed (шт, кг, л …)' }),
      payment_method: z.int().meta({ description: 'Tag 1214' }),
      payment_subject: z.int().meta({ description: 'Tag 1212' }),
      mark_code: z
        .string()
        .optional()
        .meta({ description: 'Marked good: the code bound to the line (GS as \u001d)' }),
      mark_permit: z
        .enum(['passed', 'not_done'])
        .optional()
        .meta({ description: 'Permit-mode check of the code: passed, or not done (offline mode)' }),
      price_before_discount: money.optional().meta({
        description: 'A discounted line: the price per unit before the discount (price is after it)',
      }),
      discount: money.optional().meta({
        description: 'A discounted line: how much less it costs than price_before_discount × quantity',
      }),
    }),
  ),
  discount: z
    .object({
      total_before: money,
      amount: money.meta({
        description: 'Every discount of the sale together (total = total_before − amount)',
      }),
      receipt_part: money.meta({ description: 'The receipt discount (spread over the lines) within amount' }),
    })
    .optional()
    .meta({ description: 'A sale with discounts: the total before them and how much they took' }),
  payments: z.array(z.object({ type: z.enum(['cash', 'card', 'other']), amount: money })),
  cashier_name: z.string().nullable().meta({
    description: 'Tag 1021 as sent; null: the KKT driver\'s default cashier ("Кассир") was printed',
  }),
  cashier_inn: z.string().nullable().meta({ description: 'Tag 1203 as sent, or null' }),
  correction: z
    .object({
      operation: z.enum(['sale', 'refund']).meta({ description: 'Tag 1054 of the corrected settlement' }),
      correction_type: z.enum(['self', 'order']).meta({ description: 'Tag 1173' }),
      reason_document: z.object({ date: z.string(), number: z.string() }).meta({ description: 'Tag 1174' }),
    })
    .nullable()
    .meta({ description: 'Only for type correction' }),
});

export const saleAnswerSchema = z.object({
  status: z.enum(['printed', 'buffered']),
  receipt_id: z.string(),
  fiscal_doc: fiscalDocSchema.nullable(),
  message: z.string(),
});

export const receiptListSchema = z.object({ receipts: z.array(receiptSchema) });

export const refundLookupSchema = z.object({
  receipt: receiptSchema,
  lines: z
    .array(
      z.object({
        line: z.int().meta({ description: "The sale's line, from 1" }),
        name: z.string(),
        measure: z.int(),
        measure_name: z.string(),
        sold: z.number(),
        refunded: z
          .number()
          .meta({ description: 'By all refunds of the sale that are not failed or voided' }),
        refundable: z.number().meta({ description: 'What a refund may still return of this line' }),
      }),
    )
    .meta({ description: "Per line of the sale (items' order): sold, refunded, still refundable" }),
  refunded_total: money,
  refundable_total: money,
});

export const bufferStatusSchema = z.object({
  total_capacity: z.int(),
  current_queued: z.int(),
  percent_full: z.number(),
  alert_level: z.enum(['ok', 'warning', 'critical', 'full']),
  network_status: z.enum(['online', 'degraded', 'offline']),
  total_receipts: z.int(),
  pending: z.int(),
  synced: z.int(),
  failed: z.int(),
  dlq_size: z.int(),
  oldest_pending_at: isoTime.nullable(),
  oldest_pending_age_seconds: z.number().nullable(),
  unprinted: z.int().meta({
    description: 'stored but never printed: not waiting for the OFD, not counted in pending or capacity',
  }),
  by_status: z.record(z.string(), z.int()).meta({ description: 'Receipts by state' }),
});

const runCounts = { synced: z.int(), failed: z.int(), skipped: z.int(), duration_seconds: z.number() };
export const syncResultSchema = z.object({
  ...runCounts,
  dead_lettered: z.int(),
  held_back: z
    .object({
      reason: z.string().describe('why the waiting receipts were not sent: the last OFD failure'),
      next_attempt_at: isoTime
        .nullable()
        .describe(
          "when the next try is: the breaker's next trial when it is open, else the sync worker's next run (null while the worker is stopped)",
        ),
    })
    .optional()
    .describe(
      'present when receipts were left waiting because of the OFD: its breaker is open, or every send of this sync failed',
    ),
});

const breakerSchema = z.object({
  state: z.enum(['CLOSED', 'OPEN', 'HALF_OPEN']),
  consecutiveFailures: z.int(),
  totalFailures: z.int(),
  threshold: z.int(),
  openedAt: isoTime.nullable(),
  nextAttemptAt: isoTime.nullable(),
  lastFailure: z.string().nullable(),
});

export const workerStatusSchema = z.object({
  running: z.boolean(),
  sync_in_progress: z.boolean(),
  manual_sync_in_progress: z.boolean(),
  last_run_at: isoTime.nullable(),
  last_run: z.object(runCounts).nullable(),
  next_run_at: isoTime.nullable(),
  backoff_seconds: z.number(),
  last_error: z.string().nullable(),
  ofd_auth_failure: z.string().nullable(),
  in_flight: z.int(),
  counters: z.object({ runs: z.int(), synced: z.int(), failed: z.int(), dead_lettered: z.int() }),
  circuit_breaker: breakerSchema,
});

export const kktStatusSchema = z.object({
  connected: z.boolean(),
  emulated: z.boolean(),
  label: z.string(),
  shift_open: z.boolean(),
  shift_number: z.int(),
  shift_opened_at: z.string().nullable(),
  shift_expired: z.boolean(),
  paper_present: z.boolean(),
  cover_open: z.boolean(),
  fn_number: z.string(),
  kkt_reg_number: z.string(),
  last_fd_number: z.int(),
  unsent_count: z.int(),
  oldest_unsent_at: z.string().nullable(),
  tax_systems: z.array(z.enum(TAX_SYSTEMS)).meta({
    description: 'the tax systems the KKT is registered for (tag 1062, read with FF09h at start)',
  }),
  tax_system: z.enum(TAX_SYSTEMS).nullable().meta({
    description:
      'the tax system receipts are issued under (tag 1055): the configured one (STATION_TAX_SYSTEM), else the only registered one; null when none can be used (see tax_system_problem)',
  }),
  configured_tax_system: z.enum(TAX_SYSTEMS).nullable(),
  tax_system_problem: z.enum(['mismatch', 'not_chosen', 'none_registered']).nullable().meta({
    description:
      'mismatch: the configured system is not registered; not_chosen: several registered, none configured. Sales are refused (409) while set',
  }),
  work_modes: z.int().meta({
    description:
      'registration work-mode bits (FF09h): 0 encryption, 1 autonomous, 2 automatic, 3 services, 4 BSO, 5 internet',
  }),
  ffd_version: z
    .string()
    .nullable()
    .meta({ description: 'FFD version, e.g. "1.2" (null when the model does not tell)' }),
  fn_expires_at: z.string().nullable().meta({ description: "the FN's validity date (FF03h), YYYY-MM-DD" }),
  fn_warnings: z.array(z.enum([...FN_WARNING_NAMES])).meta({
    description:
      "the FN's own warning flags (FF01h): replace_urgent (3 days or less left), replace_soon (30 days), memory_almost_full (90 %), ofd_timeout; unknown = a bit no source names",
  }),
  printer: z.enum(['ready', 'printing', 'paper_out', 'awaiting_continue']).optional(),
  problem: z.string().optional(),
});

const fnHealthSchema = z
  .object({
    level: z.enum(['ok', 'warning', 'critical']),
    days_to_expiry: z.int().nullable(),
    unsent_days: z.int().nullable(),
    reasons: z.array(z.string()),
  })
  .meta({
    description:
      'warning (health degraded) 30 days before the FN expires or when the oldest unsent document is 5 days old, or on an FN warning flag; critical (unhealthy) 3 days before expiry, at 25 days unsent, or on replace_urgent',
  });

export const acknowledgeLossSchema = z.object({
  acknowledged: z.literal(true),
  acknowledged_by: z.string(),
  acknowledged_at: isoTime,
  detected_at: isoTime,
  kkt_last_fd: z.int(),
});

/** The FN → OFD relay in /v1/health (src/main/core/fn-relay, docs/kkt.md «FN → OFD exchange»). */
export const fnRelaySchema = z
  .object({
    server: z.string().describe("the OFD's TCP server the FN's messages go to (ofdServer)"),
    running: z.boolean().describe('a relay run is in progress'),
    host_mode: z
      .boolean()
      .nullable()
      .describe('the KKT is in host mode (table 21); null before the first successful check'),
    last_run_at: isoTime.nullable(),
    last_run: z
      .object({
        delivered: z.int().describe('documents the FN accepted the OFD receipt for'),
        failed: z.int().describe('exchanges with the OFD that failed (unreachable, timeout, not a message)'),
        refused: z.int().describe('OFD answers the FN refused (error 20h)'),
        kkt_errors: z.int().describe('the KKT did not answer or refused a buffer command'),
        held: z.boolean().describe('documents waited because the breaker is open'),
        bytes_sent: z.int(),
        bytes_received: z.int(),
        duration_seconds: z.number(),
      })
      .nullable(),
    last_exchange_at: isoTime
      .nullable()
      .describe('the last document that went to the OFD and back into the FN'),
    last_error: z.string().nullable().describe('English, for support and the log'),
    last_error_why: z
      .object({
        code: z.enum(FN_RELAY_FAILURE_CODES),
        params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
      })
      .nullable()
      .describe(
        "last_error as a code with parameters (src/shared/fn-relay-failure.ts), which the till's «Состояние» words in Russian",
      ),
    last_error_at: isoTime.nullable(),
    next_run_at: isoTime.nullable(),
    backoff_seconds: z.number(),
    totals: z.object({
      runs: z.int(),
      delivered: z.int(),
      failed: z.int(),
      refused: z.int(),
      kkt_errors: z.int(),
    }),
    circuit_breaker: z.object({
      state: z.enum(['CLOSED', 'OPEN', 'HALF_OPEN']),
      consecutive_failures: z.int(),
      total_failures: z.int(),
      next_attempt_at: isoTime.nullable(),
      last_failure: z.string().nullable(),
    }),
  })
  .nullable()
  .meta({
    description:
      'The FN → OFD relay through the station (ofdServer set); null when the KKT sends to the OFD by itself. An open breaker makes health degraded',
  });

export const healthSchema = z.object({
  status: z.enum(['healthy', 'degraded', 'unhealthy']),
  components: z.object({
    database: z.object({ status: z.string() }).loose(),
    buffer: z.object({
      status: z.string(),
      percent_full: z.number(),
      dlq_size: z
        .number()
        .int()
        .describe('receipts in the failed-sends queue (DLQ): any makes health degraded'),
    }),
    circuit_breaker: z.object({
      state: z.enum(['CLOSED', 'OPEN', 'HALF_OPEN']),
      consecutive_failures: z.int(),
      total_failures: z.int(),
      next_attempt_at: isoTime.nullable(),
      last_failure: z.string().nullable(),
    }),
    kkt: z
      .object({
        status: z.enum(['ok', 'warning', 'error']),
        error: z.string().optional(),
        problems: z.array(z.string()).meta({
          description:
            'why the KKT is not ok: not_connected, tax_system_mismatch, tax_system_not_chosen, fn_expiring, fn_expiry_imminent, fn_unsent_old, fn_unsent_critical, an FN warning flag, paper_out, cover_open, shift_expired',
        }),
        fn_health: fnHealthSchema.nullable(),
        ...kktStatusSchema.partial().shape,
      })
      .meta({ description: "The KKT's status fields (when it answered), or the error" }),
    disk: z.object({
      status: z.string(),
      free_bytes: z.number().nullable(),
      floor_bytes: z.number(),
      reserved: z.boolean(),
      error: z.string().optional(),
    }),
    unrecorded_prints: z.int().meta({
      description: 'receipts the KKT printed that wait to be recorded (a full disk): unhealthy while any',
    }),
    buffer_lost: z
      .object({ detected_at: isoTime, kkt_last_fd: z.int() })
      .nullable()
      .meta({ description: 'the buffer was lost while the KKT kept documents: sales wait for a manager' }),
    fn_relay: fnRelaySchema,
  }),
});

const paymentTotals = z.object({ count: z.int(), cash: money, card: money, other: money, total: money });
const stationTotals = z.object({
  shift_number: z.int(),
  receipts: z.int(),
  sales: paymentTotals.meta({
    description: 'Sale receipts, with correction receipts of a sale (as the KKT counts them)',
  }),
  refunds: paymentTotals.meta({ description: 'Refund receipts, with correction receipts of a refund' }),
  corrections: z
    .object({ count: z.int(), sale: money, refund: money })
    .meta({ description: 'Correction receipts of the shift (FFD 1.2), also counted in sales / refunds' }),
  cash_in: money,
  cash_out: money,
  cash_balance: money,
});

export const shiftStateSchema = z.object({
  open: z.boolean(),
  shift_number: z.int(),
  opened_at: isoTime.nullable(),
  age_minutes: z.number().nullable(),
  expired: z.boolean().meta({ description: 'Open for more than 24 h: sales are blocked until the Z report' }),
  totals: stationTotals,
  kkt: kktStatusSchema,
});

const deviceTotals = z.object({ cash: money, card: money, other: money, total: money });
export const shiftReportSchema = z.object({
  kind: z.enum(['x', 'z']),
  shift_number: z.int(),
  station: stationTotals,
  device: z.object({
    sale_receipts: z.int(),
    refund_receipts: z.int(),
    sales: deviceTotals,
    refunds: deviceTotals,
    cash_in: money,
    cash_out: money,
    cash_in_drawer: money,
    unsent_documents: z.int(),
    fiscal_doc_number: z.int().nullable(),
    fiscal_sign: z.int().nullable(),
    fiscal_datetime: z.string().nullable(),
  }),
});

export const cashAnswerSchema = z.object({
  kind: z.enum(['in', 'out']),
  amount: money,
  document_number: z.int(),
  cash_in_drawer: money,
});

// ------------------------------------------------------------------------------------------------
// The catalogue

const catalogItemsShape = (items: z.ZodType) =>
  z.object(
    {
      items: z
        .array(items, { error: 'items must be a list of catalogue items' })
        .min(1, { error: 'items must hold at least one item' })
        .max(10_000, { error: 'at most 10,000 items a call; send a large catalogue in parts' })
        .meta({ description: 'Items to add or replace by code; all of them or none are stored' }),
    },
    {
      error: 'the body must be a JSON object: {"items": [{"code": …, "name": …, "price": …, "vat_rate": …}]}',
    },
  );

/** The documented body; the core checks each item (core/catalog/catalog-batch.ts: every bad item named). */
export const catalogItemsBody = catalogItemsShape(catalogItemInputSchema);
/** The body's outer shape, checked by the route before the core checks the items. */
export const catalogItemsEnvelope = catalogItemsShape(z.unknown());

export const catalogQuery = z.object({
  query: z.string().max(128, { error: 'query is at most 128 characters' }).optional().meta({
    description:
      'Words of the name (any case, as prefixes), an item code or a barcode; none: the first items',
  }),
  limit: countingParam('limit', 100).meta({ description: 'How many items (default 20)' }),
});

export const catalogItemSchema = z.object({
  code: z.string(),
  name: z.string(),
  price: money,
  vat_rate: z.string().meta({ description: 'VAT code: vat22, vat10, vat0, none …' }),
  unit: z.int().meta({ description: 'FFD 1.2 tag 2108 unit code' }),
  unit_name: z.string().meta({ description: 'The short name of the unit: шт, кг, л …' }),
  barcodes: z.array(z.string()),
  weighed: z.boolean(),
  marked: z.boolean(),
  price_editable: z.boolean(),
  payment_subject: z.int().meta({ description: 'FFD tag 1212' }),
});

export const catalogListSchema = z.object({ items: z.array(catalogItemSchema), total: z.int() });

export const catalogUpsertSchema = z.object({ inserted: z.int(), updated: z.int() });

export const catalogCodeParam = z
  .string()
  .min(1, { error: 'the item code must not be empty' })
  .max(64, { error: 'an item code is at most 64 characters' })
  .regex(NO_CONTROL_CHARACTERS, { error: 'an item code has no control characters' })
  .meta({ description: 'The item code' });

export const barcodeParam = z
  .string()
  .regex(SCAN_PATTERN, { error: 'a barcode is 1–64 printable ASCII characters' })
  .meta({ description: 'A barcode as scanned' });

export const catalogScanSchema = catalogItemSchema.extend({
  quantity: z.number().nullable().meta({
    description: "A weight label's quantity in the item's unit (0.754 kg); null: not a weight label",
  }),
});

export const catalogDeletedSchema = z.object({ deleted: z.string() });

/** The whole list of the sale screen's quick keys, in order (core/catalog/quick-keys.ts checks the codes). */
export const quickKeysBody = z.object(
  { keys: quickKeysInputSchema.meta({ description: `The buttons in order, at most ${QUICK_KEYS_MAX}` }) },
  { error: 'the body must be a JSON object: {"keys": [{"code": …, "label": …}]}' },
);

export const quickKeysSchema = z.object({
  keys: z.array(
    z.object({
      code: z.string(),
      label: z.string().nullable().meta({ description: "The button's text; null: the item's name" }),
      item: catalogItemSchema,
    }),
  ),
  max: z.int().meta({ description: 'How many keys the list may hold' }),
});

// ------------------------------------------------------------------------------------------------
// Cashiers (the rule for a new one is the core's: core/cashiers/cashier.ts)

export const cashierCreateBody = cashierInputSchema;

export const cashierSchema = z
  .object({
    id: z.int(),
    name: z.string(),
    inn: z.string().nullable(),
    role: z.enum(CASHIER_ROLES),
    created_at: z.string(),
  })
  .meta({ description: 'A cashier; the PIN hash never leaves the station' });

export const cashierListSchema = z.object({ cashiers: z.array(cashierSchema) });

// ------------------------------------------------------------------------------------------------
// The cash drawer and receipt copies (routes-drawer.ts)

export const drawerOpenedSchema = z
  .object({ opened: z.literal(true) })
  .meta({ description: 'The KKT opened the cash drawer (28h)' });

export const receiptCopyBody = z
  .object(
    {
      receipt_id: z
        .string({ error: 'receipt_id must be a receipt id' })
        .min(1, { error: 'receipt_id must be a receipt id' })
        .max(64, { error: 'receipt_id must be a receipt id' })
        .optional()
        .meta({ description: 'The receipt to copy; absent: the last printed receipt' }),
    },
    { error: 'the body must be a JSON object, e.g. {"receipt_id": "…"} or {}' },
  )
  .meta({ description: 'Which receipt to copy' });

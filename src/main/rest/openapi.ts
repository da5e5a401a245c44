// OpenAPI 3 description of the local REST API, served at /openapi.json, and a self-contained docs page
// at /docs (no external scripts: the station is often offline). The error codes are the taxonomy's
// (src/shared/errors.ts), so the document cannot drift from what the station answers.
import { KKT_REASONS, STATION_ERROR_CODES } from '../../shared/errors.ts';

const error = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: error } },
});
const json = (schema: unknown, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const secured = [{ bearer: [] }];
const receiptId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

export function openApiDocument() {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Cashier Station local API',
      version: '1.0.0',
      description:
        "Prints fiscal receipts on the station's KKT and delivers them to the OFD in the background. Listens on 127.0.0.1 only. " +
        'Amounts are roubles with at most 2 decimals; quantities have at most 3 decimals. Every call except /openapi.json and /docs needs Authorization: Bearer <token>.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: {
            error: {
              type: 'string',
              enum: [...STATION_ERROR_CODES],
              description:
                'Stable code; decide by it, never by the message. kkt_refused: the KKT did not do it, nothing was fiscalised: fix the cause and send the same request again. ' +
                'kkt_outcome_unknown: the KKT took the command but its answer was lost: do not send it again; a receipt is reconciled with the KKT archive (a sale answers 202 "buffered" instead).',
            },
            message: { type: 'string', description: 'What is wrong and what to do, for a person' },
            details: {
              description:
                'Machine-readable detail. For KKT errors: reason (when a program can act on it), device_code, device_code_hex (e.g. "6Bh") and device_message when the device gave an error code; ' +
                'for a refused sale also receipt_id, receipt_status and kkt_message. For validation_error: the field issues.',
              properties: {
                reason: {
                  type: 'string',
                  description: `KKT errors: ${KKT_REASONS.join(', ')}; refund_not_allowed: not_found, not_a_sale, not_synced, exceeds_sale, no_such_line`,
                },
              },
            },
          },
        },
        ReceiptRequest: {
          type: 'object',
          required: ['pos_id', 'type', 'items', 'payments'],
          properties: {
            pos_id: { type: 'string', maxLength: 64 },
            type: {
              type: 'string',
              enum: ['sale', 'refund'],
              description:
                '"correction" is part of the old contract but is refused: corrections are made from the KKT service software.',
            },
            items: {
              type: 'array',
              minItems: 1,
              maxItems: 100,
              items: {
                type: 'object',
                required: ['name', 'price', 'quantity', 'total'],
                properties: {
                  name: { type: 'string', maxLength: 128 },
                  price: {
                    oneOf: [{ type: 'number' }, { type: 'string' }],
                    description: 'Roubles, at most 2 decimals',
                  },
                  quantity: {
                    oneOf: [{ type: 'number' }, { type: 'string' }],
                    description: 'At most 3 decimals, > 0',
                  },
                  total: {
                    oneOf: [{ type: 'number' }, { type: 'string' }],
                    description: 'price × quantity, ±0.01',
                  },
                  vat_rate: {
                    oneOf: [{ type: 'number' }, { type: 'string' }],
                    description:
                      '22, 20, 10, 7, 5, 0, 22/122, 20/120, 10/110, 7/107, 5/105 or none (also "20%", "vat20")',
                  },
                  vat: {
                    type: 'string',
                    enum: [
                      'vat22',
                      'vat20',
                      'vat10',
                      'vat7',
                      'vat5',
                      'vat0',
                      'vat122',
                      'vat120',
                      'vat110',
                      'vat107',
                      'vat105',
                      'none',
                    ],
                    description: 'Overrides vat_rate',
                  },
                  payment_method: {
                    oneOf: [{ type: 'integer', minimum: 1, maximum: 7 }, { type: 'string' }],
                    description: 'Tag 1214; default 4 (full_payment)',
                  },
                  payment_subject: {
                    oneOf: [{ type: 'integer', minimum: 1, maximum: 26 }, { type: 'string' }],
                    description: 'Tag 1212; default 1 (commodity)',
                  },
                },
              },
            },
            payments: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                required: ['type', 'amount'],
                properties: {
                  type: { type: 'string', enum: ['cash', 'card', 'other'] },
                  amount: { oneOf: [{ type: 'number' }, { type: 'string' }] },
                },
              },
            },
            original_receipt_id: {
              type: 'string',
              description: 'Required for a refund: the receipt_id of the sale it returns',
            },
            buyer_email: { type: 'string', format: 'email' },
            buyer_phone: { type: 'string' },
            cashier_name: { type: 'string' },
          },
        },
        FiscalDoc: {
          type: 'object',
          properties: {
            fiscal_doc_number: { type: 'integer' },
            fiscal_sign: { type: 'integer' },
            fiscal_datetime: { type: 'string' },
            fn_number: { type: 'string' },
            kkt_number: { type: 'string' },
            shift_number: { type: 'integer' },
            receipt_number: { type: 'integer' },
            qr_code_data: { type: 'string' },
            total: { type: 'number' },
            change: { type: 'number' },
          },
        },
        Receipt: {
          type: 'object',
          properties: {
            receipt_id: { type: 'string' },
            status: { type: 'string', enum: ['pending', 'syncing', 'synced', 'failed'] },
            state: {
              type: 'string',
              enum: ['accepted', 'printing', 'printed', 'synced', 'print_failed', 'dead', 'voided'],
            },
            type: { type: 'string' },
            total: { type: 'number' },
            fiscal_doc: { $ref: '#/components/schemas/FiscalDoc' },
            attempts: { type: 'integer' },
            last_error: { type: 'string', nullable: true },
          },
        },
      },
    },
    security: secured,
    paths: {
      '/v1/kkt/receipt': {
        post: {
          summary: 'Create and print a receipt (two-phase: stored, printed, answered; sent to the OFD later)',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              schema: { type: 'string', maxLength: 128 },
              description:
                'Same key + same body returns the original receipt; same key + another body is 409',
            },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ReceiptRequest' } } },
          },
          responses: {
            200: json(
              {
                type: 'object',
                properties: {
                  status: { type: 'string', enum: ['printed'] },
                  receipt_id: { type: 'string' },
                  fiscal_doc: { $ref: '#/components/schemas/FiscalDoc' },
                },
              },
              'Printed',
            ),
            202: json(
              {
                type: 'object',
                properties: {
                  status: { type: 'string', enum: ['buffered'] },
                  receipt_id: { type: 'string' },
                  fiscal_doc: {
                    allOf: [{ $ref: '#/components/schemas/FiscalDoc' }],
                    nullable: true,
                    description: 'Set when the KKT printed it but the station could not record it yet',
                  },
                },
              },
              'Stored; the print outcome is being confirmed with the KKT, or it was printed and waits to be recorded (a full disk). Either way: do not ring it again; ask GET /v1/kkt/receipt/{id} or repeat with the same key',
            ),
            400: errorResponse('Missing Idempotency-Key or bad JSON'),
            401: errorResponse('Missing or wrong token'),
            409: errorResponse(
              'Idempotency conflict, refund not allowed, the receipt was not printed, or buffer_lost: the buffer was lost and a manager must acknowledge it (POST /v1/kkt/buffer/acknowledge-loss)',
            ),
            422: errorResponse('Invalid receipt; nothing stored or printed'),
            503: errorResponse(
              'Buffer full, the KKT refused/did not answer, or buffer_write_failed (an earlier printed receipt waits to be recorded); nothing fiscalised',
            ),
            507: errorResponse(
              'disk_full: the disk is below its free-space floor; nothing stored or printed',
            ),
          },
        },
      },
      '/v1/kkt/receipt/{id}': {
        get: {
          summary: 'One receipt: status, fiscal attributes, attempts, last error',
          parameters: [receiptId],
          responses: {
            200: json({ $ref: '#/components/schemas/Receipt' }, 'The receipt'),
            404: errorResponse('Unknown id'),
          },
        },
      },
      '/v1/kkt/receipt/{id}/retry': {
        post: {
          summary: 'Print again a receipt that was not printed',
          parameters: [receiptId],
          responses: {
            200: json({ $ref: '#/components/schemas/Receipt' }, 'Printed'),
            409: errorResponse('Not in a printable state'),
          },
        },
      },
      '/v1/kkt/receipt/{id}/void': {
        post: {
          summary: 'Void a receipt that was not printed',
          parameters: [receiptId],
          responses: {
            200: json({ $ref: '#/components/schemas/Receipt' }, 'Voided'),
            409: errorResponse('Printed receipts need a refund'),
          },
        },
      },
      '/v1/kkt/receipts': {
        get: {
          summary: 'Recent receipts, newest first',
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', maximum: 500 } }],
          responses: { 200: json({ type: 'object' }, 'Receipts') },
        },
      },
      '/v1/kkt/buffer/status': {
        get: {
          summary: 'Capacity, queue, counts by status, DLQ size, network status',
          responses: { 200: json({ type: 'object' }, 'Buffer status') },
        },
      },
      '/v1/kkt/buffer/sync': {
        post: {
          summary: 'Manual sync: drains the backlog through the breaker',
          responses: {
            200: json(
              {
                type: 'object',
                properties: {
                  synced: { type: 'integer' },
                  failed: { type: 'integer' },
                  skipped: { type: 'integer' },
                  duration_seconds: { type: 'number' },
                },
              },
              'Result',
            ),
            409: errorResponse('A manual sync is already running'),
          },
        },
      },
      '/v1/kkt/buffer/acknowledge-loss': {
        post: {
          summary:
            'A manager acknowledges a lost buffer (deleted or emptied while the KKT kept documents): sales resume; the journal records who and when. Body {acknowledged_by}',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['acknowledged_by'],
                  properties: { acknowledged_by: { type: 'string', minLength: 1, maxLength: 64 } },
                },
              },
            },
          },
          responses: {
            200: json(
              {
                type: 'object',
                properties: {
                  acknowledged: { type: 'boolean' },
                  acknowledged_by: { type: 'string' },
                  acknowledged_at: { type: 'string', format: 'date-time' },
                  detected_at: { type: 'string', format: 'date-time' },
                  kkt_last_fd: { type: 'integer' },
                },
              },
              'Acknowledged',
            ),
            409: errorResponse('There is no lost buffer to acknowledge'),
            422: errorResponse('acknowledged_by missing'),
          },
        },
      },
      '/v1/kkt/worker/status': {
        get: {
          summary: 'Sync worker: running, last and next run, counters, backoff, breaker',
          responses: { 200: json({ type: 'object' }, 'Worker status') },
        },
      },
      '/v1/kkt/shift': {
        get: {
          summary: "The shift: open, number, age, expired (24 h rule), the station's totals, the KKT status",
          responses: { 200: json({ type: 'object' }, 'Shift state') },
        },
      },
      '/v1/kkt/shift/open': {
        post: {
          summary: 'Open the shift (prints the opening report); body {cashier_name?}',
          responses: {
            200: json({ type: 'object' }, 'Shift state'),
            409: errorResponse('Over 24 h: close it first'),
          },
        },
      },
      '/v1/kkt/report/x': {
        post: {
          summary: 'X report: station and device totals, the shift stays open',
          responses: { 200: json({ type: 'object' }, 'Report'), 409: errorResponse('No open shift') },
        },
      },
      '/v1/kkt/shift/close': {
        post: {
          summary: 'Z report: closes the shift; station and device totals; body {cashier_name?}',
          responses: { 200: json({ type: 'object' }, 'Report'), 409: errorResponse('No open shift') },
        },
      },
      '/v1/kkt/cash/in': {
        post: {
          summary: 'Cash in (внесение); body {amount, cashier_name?}',
          responses: {
            200: json({ type: 'object' }, 'Done'),
            409: errorResponse('No open shift'),
            422: errorResponse('Bad amount'),
          },
        },
      },
      '/v1/kkt/cash/out': {
        post: {
          summary: 'Cash out (выплата); body {amount, cashier_name?}',
          responses: {
            200: json({ type: 'object' }, 'Done'),
            409: errorResponse('No open shift or not enough cash'),
            422: errorResponse('Bad amount'),
          },
        },
      },
      '/v1/health': {
        get: {
          summary:
            'healthy / degraded / unhealthy with components (database, buffer, circuit_breaker, kkt, disk, unrecorded_prints, buffer_lost)',
          responses: {
            200: json({ type: 'object' }, 'Healthy or degraded'),
            503: json({ type: 'object' }, 'Unhealthy'),
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus text format',
          responses: {
            200: { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
          },
        },
      },
    },
  };
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export function docsPage(): string {
  const doc = openApiDocument();
  const rows = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(
      ops as Record<string, { summary: string; responses: Record<string, { description: string }> }>,
    ).map(
      ([method, op]) =>
        `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary)}</td><td>${Object.entries(
          op.responses,
        )
          .map(([code, r]) => `${code} ${escapeHtml(r.description)}`)
          .join('<br>')}</td></tr>`,
    ),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cashier Station API</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;vertical-align:top;text-align:left}</style></head>
<body><h1>${escapeHtml(doc.info.title)}</h1><p>${escapeHtml(doc.info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${doc.openapi}).</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Purpose</th><th>Answers</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`;
}

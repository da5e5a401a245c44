// The local REST API for integrators (a web POS or ERP on the same machine): the old service's
// endpoints and field names, on 127.0.0.1 only, every call but the docs behind a bearer token. A failure
// is the app's one wire error (src/main/app/wire-error.ts), in the old body shape {error, message, details?}.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Station } from '../core/station.ts';
import type { StoredReceipt } from '../core/buffer/receipt-rows.ts';
import { NotFoundError, StationError, type ErrorCode } from '../../shared/errors.ts';
import { kopecksToRoubles, roublesToKopecks } from '../../shared/money.ts';
import { isFiscalised } from '../../shared/receipt-states.ts';
import type { PaymentTotals, ShiftReport, ShiftState, ShiftTotals } from '../core/shift/shift-service.ts';
import type { KktPaymentTotals } from '../core/kkt/kkt.ts';
import { hasBearer, readJsonBody, sendJson, sendText } from './http-util.ts';
import { openApiDocument, docsPage } from './openapi.ts';
import { prometheusMetrics } from './metrics.ts';
import type { Logger } from '../core/logger.ts';
import { toWireError } from '../app/wire-error.ts';

type Handler = (ctx: {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  url: URL;
}) => Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  auth: boolean;
  handler: Handler;
}

/** The old API's status words: pending | syncing | synced | failed. */
function legacyStatus(r: StoredReceipt, sending: boolean): 'pending' | 'syncing' | 'synced' | 'failed' {
  if (r.status === 'synced') return 'synced';
  if (r.status === 'print_failed' || r.status === 'dead' || r.status === 'voided') return 'failed';
  return sending ? 'syncing' : 'pending';
}

export function fiscalDocView(r: StoredReceipt) {
  const f = r.fiscal;
  if (!f) return null;
  return {
    fiscal_doc_number: f.fdNumber,
    fiscal_sign: f.fiscalSign,
    fiscal_datetime: f.fiscalDatetime,
    fn_number: f.fnNumber,
    kkt_number: f.kktRegNumber,
    shift_number: f.shiftNumber,
    receipt_number: f.receiptNumber,
    qr_code_data: f.qr,
    total: kopecksToRoubles(r.totalKop),
    change: kopecksToRoubles(f.changeKop),
  };
}

export function receiptView(r: StoredReceipt, sending: boolean) {
  return {
    receipt_id: r.id,
    status: legacyStatus(r, sending),
    state: r.status,
    type: r.type,
    pos_id: r.posId,
    total: kopecksToRoubles(r.totalKop),
    total_kop: r.totalKop,
    original_receipt_id: r.originalReceiptId,
    created_at: r.createdAt,
    printed_at: r.printedAt,
    synced_at: r.syncedAt,
    fiscal_doc: fiscalDocView(r),
    attempts: r.attempts,
    last_error: r.lastError,
    next_attempt_at: r.nextAttemptAt === null ? null : new Date(r.nextAttemptAt).toISOString(),
    ofd_id: r.ofdId,
    items: r.draft.items.map((l) => ({
      name: l.name,
      price: kopecksToRoubles(l.priceKop),
      quantity: l.quantityMilli / 1000,
      total: kopecksToRoubles(l.totalKop),
      vat: l.vat,
    })),
    payments: r.draft.payments.map((p) => ({ type: p.type, amount: kopecksToRoubles(p.amountKop) })),
  };
}

const totalsView = (t: PaymentTotals) => ({
  count: t.count,
  cash: kopecksToRoubles(t.cashKop),
  card: kopecksToRoubles(t.cardKop),
  other: kopecksToRoubles(t.otherKop),
  total: kopecksToRoubles(t.totalKop),
});

function stationTotalsView(t: ShiftTotals) {
  return {
    shift_number: t.shiftNumber,
    receipts: t.receipts,
    sales: totalsView(t.sales),
    refunds: totalsView(t.refunds),
    cash_in: kopecksToRoubles(t.cashInKop),
    cash_out: kopecksToRoubles(t.cashOutKop),
    cash_balance: kopecksToRoubles(t.cashBalanceKop),
  };
}

function shiftStateView(s: ShiftState) {
  return {
    open: s.open,
    shift_number: s.shiftNumber,
    opened_at: s.openedAt,
    age_minutes: s.ageMinutes,
    expired: s.expired,
    totals: stationTotalsView(s.totals),
    kkt: snakeCase(s.kkt),
  };
}

function shiftReportView(r: ShiftReport) {
  const d = r.device;
  const deviceTotals = (t: KktPaymentTotals) => ({
    cash: kopecksToRoubles(t.cashKop),
    card: kopecksToRoubles(t.cardKop),
    other: kopecksToRoubles(t.otherKop),
    total: kopecksToRoubles(t.totalKop),
  });
  return {
    kind: r.kind,
    shift_number: d.shiftNumber,
    station: stationTotalsView(r.station),
    device: {
      sale_receipts: d.saleReceipts,
      refund_receipts: d.refundReceipts,
      sales: deviceTotals(d.sales),
      refunds: deviceTotals(d.refunds),
      cash_in: kopecksToRoubles(d.cashInKop),
      cash_out: kopecksToRoubles(d.cashOutKop),
      cash_in_drawer: kopecksToRoubles(d.cashInDrawerKop),
      unsent_documents: d.unsentCount,
      fiscal_doc_number: d.fdNumber,
      fiscal_sign: d.fiscalSign,
      fiscal_datetime: d.fiscalDatetime,
    },
  };
}

function snakeCase(o: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  );
}

export interface RestApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startRestApi(
  station: Station,
  opts: { port: number; token: string; log: Logger },
): Promise<RestApi> {
  const { token, log } = opts;
  const routes: Route[] = [];
  const route = (method: string, path: string, auth: boolean, handler: Handler) =>
    routes.push({
      method,
      pattern: new RegExp(`^${path.replace(/\{[a-z_]+\}/g, '([^/]+)')}$`),
      auth,
      handler,
    });

  route('GET', '/openapi.json', false, async ({ res }) => sendJson(res, 200, openApiDocument()));
  route('GET', '/docs', false, async ({ res }) => sendText(res, 200, 'text/html; charset=utf-8', docsPage()));

  route('POST', '/v1/kkt/receipt', true, async ({ req, res }) => {
    const key = req.headers['idempotency-key'];
    const body = await readJsonBody(req);
    const { receipt, replayed } = await station.fiscal.createReceipt(Array.isArray(key) ? key[0] : key, body);
    const headers: Record<string, string> = replayed ? { 'idempotent-replayed': 'true' } : {};
    if (isFiscalised(receipt.status)) {
      sendJson(
        res,
        200,
        {
          status: 'printed',
          receipt_id: receipt.id,
          fiscal_doc: fiscalDocView(receipt),
          message: 'Printed on the KKT; it will be sent to the OFD in the background.',
        },
        headers,
      );
    } else if (receipt.status === 'print_failed' || receipt.status === 'voided') {
      const code: ErrorCode = receipt.status === 'voided' ? 'receipt_voided' : 'receipt_print_failed';
      sendJson(
        res,
        409,
        {
          error: code,
          message: `Receipt ${receipt.id} is ${receipt.status}${receipt.lastError ? `: ${receipt.lastError}` : ''}.`,
          details: { receipt_id: receipt.id },
        },
        headers,
      );
    } else if (station.fiscal.unrecordedPrint(receipt.id)) {
      // Printed on the KKT, its record waits for the disk: the sale is done, never to be rung again.
      const attrs = station.fiscal.unrecordedPrint(receipt.id)!;
      sendJson(
        res,
        202,
        {
          status: 'buffered',
          receipt_id: receipt.id,
          fiscal_doc: fiscalDocView({ ...receipt, fiscal: attrs }),
          message: `Printed on the KKT as FD ${attrs.fdNumber}, but the station could not record it yet (the disk is full or not writable); it is recorded as soon as it can be. The sale is done: do not ring it again. Ask GET /v1/kkt/receipt/{id} or send the same request with the same Idempotency-Key.`,
        },
        headers,
      );
    } else {
      sendJson(
        res,
        202,
        {
          status: 'buffered',
          receipt_id: receipt.id,
          fiscal_doc: null,
          message:
            'Stored durably, but the KKT did not confirm the print yet; the station checks the KKT archive before printing anything else. Ask GET /v1/kkt/receipt/{id} for the outcome and do not ring the sale again.',
        },
        headers,
      );
    }
  });

  route('GET', '/v1/kkt/receipts', true, async ({ res, url }) => {
    const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 50) || 50, 1), 500);
    sendJson(res, 200, {
      receipts: station.store.recent(limit).map((r) => receiptView(r, station.worker.isSending(r.id))),
    });
  });

  route('GET', '/v1/kkt/receipt/{id}', true, async ({ res, params }) => {
    const r = station.store.get(decodeURIComponent(params[0]!));
    if (!r)
      throw new NotFoundError(
        `Receipt ${params[0]} not found. Use the receipt_id returned by POST /v1/kkt/receipt.`,
      );
    sendJson(res, 200, receiptView(r, station.worker.isSending(r.id)));
  });

  route('POST', '/v1/kkt/receipt/{id}/retry', true, async ({ res, params }) => {
    const r = await station.fiscal.retryPrint(decodeURIComponent(params[0]!));
    sendJson(res, 200, receiptView(r, false));
  });

  route('POST', '/v1/kkt/receipt/{id}/void', true, async ({ req, res, params }) => {
    const body = (await readJsonBody(req)) as { reason?: unknown } | undefined;
    const reason =
      typeof body?.reason === 'string' && body.reason.trim()
        ? body.reason.trim().slice(0, 200)
        : 'voided through the REST API';
    sendJson(
      res,
      200,
      receiptView(station.fiscal.voidReceipt(decodeURIComponent(params[0]!), reason), false),
    );
  });

  route('GET', '/v1/kkt/buffer/status', true, async ({ res }) => {
    const b = station.bufferStatus();
    sendJson(res, 200, {
      total_capacity: b.capacity,
      current_queued: b.queued,
      percent_full: b.percentFull,
      alert_level: b.alert,
      network_status: b.networkStatus,
      total_receipts: b.total,
      pending: b.queued,
      synced: b.counts.synced,
      failed: b.counts.print_failed + b.counts.dead,
      dlq_size: b.dlqSize,
      oldest_pending_at: b.oldestPendingAt,
      oldest_pending_age_seconds: b.oldestPendingAt
        ? Math.round((Date.now() - Date.parse(b.oldestPendingAt)) / 1000)
        : null,
      by_status: b.counts,
    });
  });

  route('POST', '/v1/kkt/buffer/sync', true, async ({ res }) => {
    const r = await station.worker.syncNow();
    sendJson(res, 200, {
      synced: r.synced,
      failed: r.failed,
      skipped: r.skipped,
      dead_lettered: r.deadLettered,
      duration_seconds: r.durationMs / 1000,
    });
  });

  route('POST', '/v1/kkt/buffer/acknowledge-loss', true, async ({ req, res }) => {
    const by = (await readJsonBody(req)) as { acknowledged_by?: unknown } | undefined;
    const name = by?.acknowledged_by;
    if (typeof name !== 'string' || !name.trim() || name.length > 64)
      throw new StationError(
        'validation_error',
        422,
        'acknowledged_by must name the manager who acknowledges the lost buffer (1–64 characters); it is kept in the journal.',
      );
    const ack = station.acknowledgeBufferLoss(`${name.trim()} (REST API)`);
    sendJson(res, 200, {
      acknowledged: true,
      acknowledged_by: ack.acknowledgedBy,
      acknowledged_at: ack.acknowledgedAt,
      detected_at: ack.detectedAt,
      kkt_last_fd: ack.kktLastFd,
    });
  });

  route('GET', '/v1/kkt/worker/status', true, async ({ res }) => {
    const w = station.worker.snapshot();
    sendJson(res, 200, {
      running: w.started,
      sync_in_progress: w.running,
      manual_sync_in_progress: w.manualRunning,
      last_run_at: w.lastRunAt,
      last_run: w.lastRunResult && {
        synced: w.lastRunResult.synced,
        failed: w.lastRunResult.failed,
        skipped: w.lastRunResult.skipped,
        duration_seconds: w.lastRunResult.durationMs / 1000,
      },
      next_run_at: w.nextRunAt,
      backoff_seconds: w.backoffMs / 1000,
      last_error: w.lastError,
      ofd_auth_failure: w.ofdAuthFailure,
      in_flight: w.inFlight,
      counters: {
        runs: w.totals.runs,
        synced: w.totals.synced,
        failed: w.totals.failed,
        dead_lettered: w.totals.deadLettered,
      },
      circuit_breaker: station.breaker.snapshot(),
    });
  });

  route('GET', '/v1/health', true, async ({ res }) => {
    const h = await station.health();
    sendJson(res, h.status === 'unhealthy' ? 503 : 200, {
      status: h.status,
      components: {
        database: h.components.database,
        buffer: { status: h.components.buffer.status, percent_full: h.components.buffer.percentFull },
        circuit_breaker: {
          state: h.components.breaker.state,
          consecutive_failures: h.components.breaker.consecutiveFailures,
          total_failures: h.components.breaker.totalFailures,
          next_attempt_at: h.components.breaker.nextAttemptAt,
          last_failure: h.components.breaker.lastFailure,
        },
        kkt: {
          status: h.components.kkt.status,
          error: h.components.kkt.error,
          ...snakeCase(h.components.kkt.detail ?? {}),
        },
        disk: {
          status: h.components.disk.status,
          free_bytes: h.components.disk.freeBytes,
          floor_bytes: h.components.disk.floorBytes,
          reserved: h.components.disk.reserved,
          error: h.components.disk.error,
        },
        unrecorded_prints: h.components.unrecordedPrints,
        buffer_lost: h.components.bufferLost && {
          detected_at: h.components.bufferLost.detectedAt,
          kkt_last_fd: h.components.bufferLost.kktLastFd,
        },
      },
    });
  });

  const cashierOf = (body: unknown) => {
    const name = (body as { cashier_name?: unknown } | undefined)?.cashier_name;
    if (name === undefined) return undefined;
    if (typeof name !== 'string' || !name.trim() || name.length > 64)
      throw new StationError(
        'validation_error',
        422,
        'cashier_name must be text of 1–64 characters (printed as tag 1021).',
      );
    return name.trim();
  };
  const amountOf = (body: unknown) => {
    const kop = roublesToKopecks((body as { amount?: unknown } | undefined)?.amount);
    if (kop === null || kop === 0)
      throw new StationError(
        'validation_error',
        422,
        'amount must be a positive amount in roubles with at most 2 decimals, e.g. 500.00',
      );
    return kop;
  };

  route('GET', '/v1/kkt/shift', true, async ({ res }) =>
    sendJson(res, 200, shiftStateView(await station.shifts.state())),
  );
  route('POST', '/v1/kkt/shift/open', true, async ({ req, res }) => {
    sendJson(res, 200, shiftStateView(await station.shifts.open(cashierOf(await readJsonBody(req)))));
  });
  route('POST', '/v1/kkt/report/x', true, async ({ res }) =>
    sendJson(res, 200, shiftReportView(await station.shifts.xReport())),
  );
  route('POST', '/v1/kkt/shift/close', true, async ({ req, res }) => {
    sendJson(res, 200, shiftReportView(await station.shifts.close(cashierOf(await readJsonBody(req)))));
  });
  for (const kind of ['in', 'out'] as const) {
    route('POST', `/v1/kkt/cash/${kind}`, true, async ({ req, res }) => {
      const body = await readJsonBody(req);
      const key = req.headers['idempotency-key'];
      const opts = { cashier: cashierOf(body), idempotencyKey: Array.isArray(key) ? key[0] : key };
      const op =
        kind === 'in'
          ? await station.shifts.cashIn(amountOf(body), opts)
          : await station.shifts.cashOut(amountOf(body), opts);
      sendJson(res, 200, {
        kind: op.kind,
        amount: kopecksToRoubles(op.amountKop),
        document_number: op.documentNumber,
        cash_in_drawer: kopecksToRoubles(op.cashInDrawerKop),
      });
    });
  }

  route('GET', '/metrics', true, async ({ res }) =>
    sendText(res, 200, 'text/plain; version=0.0.4; charset=utf-8', prometheusMetrics(station)),
  );

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const candidates = routes.filter((r) => r.pattern.test(url.pathname));
      const match = candidates.find((r) => r.method === req.method);
      try {
        if (!match) {
          if (candidates.length)
            throw new StationError(
              'method_not_allowed',
              405,
              `${req.method} is not allowed on ${url.pathname}; use ${candidates.map((r) => r.method).join(' or ')}.`,
            );
          throw new NotFoundError(
            `No endpoint ${req.method} ${url.pathname}. The API is described at /docs and /openapi.json.`,
          );
        }
        if (match.auth && !hasBearer(req, token)) {
          throw new StationError(
            'unauthorized',
            401,
            'Missing or wrong token: send Authorization: Bearer <token>. The token is in the station data directory (api-token) or STATION_API_TOKEN.',
          );
        }
        await match.handler({ req, res, params: match.pattern.exec(url.pathname)!.slice(1), url });
      } catch (e) {
        const { status, error } = toWireError(e, log, `REST ${req.method} ${url.pathname}`);
        const body =
          error.details === undefined
            ? { error: error.code, message: error.message }
            : { error: error.code, message: error.message, details: error.details };
        sendJson(res, status, body, status === 401 ? { 'www-authenticate': 'Bearer' } : {});
      }
    })();
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

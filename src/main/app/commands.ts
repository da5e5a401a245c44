// The contract's commands (src/shared/contract.ts) on the core, grouped by concern: status and
// support, receipts, the shift with its cash drawer, the manager's actions behind the PIN, settings.
// Each command has an argument schema that StationApp.handle checks before the handler runs, so a
// handler gets a typed value; it answers a view (views.ts) or throws, and the throw becomes the wire
// error (wire-error.ts). Handlers hold no state of their own: the core and the manager PIN do.
import { z } from 'zod';
import type { Logger } from '../core/logger.ts';
import type { Station } from '../core/station.ts';
import { SETTINGS_PATCH_SCHEMA } from '../core/settings.ts';
import { MAX_KOPECKS } from '../../shared/money.ts';
import { PIN_MAX_DIGITS } from '../../shared/pin.ts';
import type { CommandName, CommandResult } from '../../shared/contract.ts';
import { approveWith, type ManagerPin } from './manager-pin.ts';
import { buildDiagnostics } from './diagnostics.ts';
import { catalogItemView, catalogScanView } from './catalog-views.ts';
import { cashierView } from './cashier-views.ts';
import { refundableSaleView } from './refund-views.ts';
import { saleKeyOfQr } from '../core/fiscal/refundable.ts';
import { lookupSaleForRefund } from './sale-lookup.ts';
import { FISCAL_QR_MAX_LENGTH } from '../../shared/fiscal-qr.ts';
import { QUICK_KEY_ARGS, quickKeyHandlers } from './quick-key-commands.ts';
import { cashierInnSchema } from '../core/fiscal/receipt-request.ts';
import { SCAN_PATTERN } from '../../shared/barcode.ts';
import { BadRequestError, ConflictError } from '../../shared/errors.ts';
import {
  dlqView,
  journalView,
  kktStatusView,
  receiptView,
  shiftReportView,
  shiftView,
  snapshotView,
} from './views.ts';
import { BY } from '../../shared/journal-by.ts';

const pin = z
  .string({ error: 'the manager PIN is required' })
  .min(1, { error: 'the manager PIN is required' })
  .max(PIN_MAX_DIGITS);
const id = z.string().min(1).max(64);
const kop = z.number().int().positive({ error: 'the amount must be above 0' }).max(MAX_KOPECKS);
const cashier = z.string().trim().min(1).max(64).optional();
const none = z.undefined().or(z.null()).optional();

/** Argument schemas, one per command: the transport passes `unknown`, the handler gets a typed value. */
export const COMMAND_ARGS = {
  // Status and support
  'station.snapshot': none,
  'journal.recent': z.object({ limit: z.number().int().min(1).max(1000).optional() }).optional(),
  'diagnostics.export': none,
  // Receipts
  'receipt.create': z.object({
    idempotencyKey: z.string(),
    body: z.unknown(),
    managerPin: z.string().max(64).optional(),
  }),
  'receipt.list': z
    .object({ limit: z.number().int().min(1).max(500).optional(), query: z.string().max(64).optional() })
    .optional(),
  'receipt.refundable': z
    .object({
      qr: z.string().max(FISCAL_QR_MAX_LENGTH).optional(),
      fdNumber: z.number().int().positive().max(4294967295).optional(),
      totalKop: kop.optional(),
      id: id.optional(),
    })
    .refine(
      (a) => [a.qr !== undefined, a.fdNumber !== undefined, a.id !== undefined].filter(Boolean).length === 1,
      {
        error: 'give one of qr, fdNumber (with or without totalKop) or id',
      },
    )
    .refine((a) => a.totalKop === undefined || a.fdNumber !== undefined, {
      error: 'totalKop goes with fdNumber',
    }),
  'receipt.settle': z.object({ idempotencyKey: z.string().min(1).max(128) }),
  'receipt.retryPrint': z.object({ id }),
  'receipt.void': z.object({
    id,
    reason: z.string().trim().min(1, { error: 'say why the receipt is voided' }).max(200),
  }),
  // The shift, the cash drawer and the KKT
  'shift.get': none,
  'shift.open': z.object({ cashierName: cashier, cashierInn: cashierInnSchema.optional() }).optional(),
  'shift.xReport': none,
  'shift.close': z.object({ pin, cashierName: cashier }),
  'cash.in': z.object({ amountKop: kop, idempotencyKey: z.string().optional() }), // the key's rule lives in the core
  'cash.out': z.object({ amountKop: kop, idempotencyKey: z.string().optional() }),
  'kkt.continuePrint': none,
  'kkt.openDrawer': z.object({ pin }),
  'receipt.printCopy': z.object({ id: id.optional() }).optional(),
  // The manager: the PIN itself, then what it guards
  'manager.setPin': z.object({ currentPin: z.string().max(8).optional(), newPin: z.string() }),
  'manager.verifyPin': z.object({ pin }),
  'sync.now': z.object({ pin }),
  'dlq.list': z.object({ pin }),
  'dlq.retry': z.object({ pin, receiptId: id }),
  'dlq.resolve': z.object({
    pin,
    receiptId: id,
    note: z.string().trim().min(1, { error: 'write a note: how was it resolved?' }).max(500),
  }),
  'unprinted.list': z.object({ pin }),
  'unprinted.print': z.object({ pin, receiptId: id }),
  'unprinted.void': z.object({ pin, receiptId: id, reason: z.string().trim().max(200).optional() }),
  'buffer.acknowledgeLoss': z.object({ pin, managerName: z.string().trim().min(1).max(64).optional() }),
  'correction.create': z.object({ pin, idempotencyKey: z.string(), body: z.unknown() }), // the body: the core's rules
  // Settings (behind the PIN)
  'settings.get': z.object({ pin }),
  'settings.update': z.object({ pin, patch: SETTINGS_PATCH_SCHEMA }),
  // The catalogue: scans and searches for the cashier, changes behind the PIN (the core checks items)
  'catalog.scan': z.object({ code: z.string().regex(SCAN_PATTERN, { error: 'not a possible barcode' }) }),
  'catalog.search': z.object({
    query: z.string().max(128),
    limit: z.number().int().min(1).max(100).optional(),
  }),
  'catalog.upsert': z.object({ pin, item: z.record(z.string(), z.unknown()) }),
  // Cashiers: the core checks a new one (core/cashiers/cashier.ts)
  'cashier.list': none,
  'cashier.signIn': z.object({ cashierId: z.number().int().positive(), pin: z.string().max(64) }),
  'cashier.createFirst': z.object({ cashier: z.record(z.string(), z.unknown()) }),
  'cashier.create': z.object({ pin, cashier: z.record(z.string(), z.unknown()) }),
  'catalog.import': z.object({
    pin,
    fileName: z.string().max(260),
    // 20 MB of CSV is several hundred thousand items: more than a till's catalogue.
    base64: z.string().max(28_000_000, { error: 'the file is over 20 MB' }),
  }),
  ...QUICK_KEY_ARGS,
} satisfies Record<CommandName, z.ZodType>;

export type CommandHandlers = {
  [K in CommandName]: (arg: z.output<(typeof COMMAND_ARGS)[K]>) => Promise<CommandResult<K>>;
};

export interface CommandContext {
  station: Station;
  managerPin: ManagerPin;
  log: Logger;
  /** Which shell runs the app, for the diagnostics' about.json. */
  host: 'electron' | 'browser' | null;
  /** Something the snapshot shows changed without a journal entry: push a snapshot soon. */
  snapshotChanged(): void;
}

export function commandHandlers({
  station,
  managerPin,
  log,
  host,
  snapshotChanged,
}: CommandContext): CommandHandlers {
  const manager = (p: string) => managerPin.verify(p);
  const snapshot = () => snapshotView(station, managerPin.isSet());

  return {
    // Status and support
    'station.snapshot': async () => snapshot(),
    'journal.recent': async (arg) => station.journal.recent(arg?.limit ?? 200).map(journalView),
    'diagnostics.export': async () => {
      const { fileName, archive } = buildDiagnostics({
        config: station.config,
        snapshot: snapshot(),
        health: await station.health(),
        journal: station.journal.recent(1000).map(journalView),
        about: {
          app: 'Cashier Station',
          node: process.versions.node,
          electron: process.versions.electron ?? null,
          platform: process.platform,
          arch: process.arch,
          host,
        },
      });
      log.info(`Diagnostics exported: ${fileName}`);
      return { fileName, base64: archive.toString('base64') };
    },

    // Receipts
    'receipt.create': async ({ idempotencyKey, body, managerPin: pin }) =>
      receiptView(
        (await station.fiscal.createReceipt(idempotencyKey, body, { approve: approveWith(managerPin, pin) }))
          .receipt,
      ),
    'receipt.list': async (arg) => {
      const query = arg?.query?.trim().replace(',', '.');
      let receipts = station.store.recent(query ? 500 : (arg?.limit ?? 50));
      if (query) {
        receipts = receipts.filter(
          (r) =>
            String(r.fiscal?.fdNumber ?? '') === query ||
            (r.totalKop / 100).toFixed(2) === Number(query).toFixed(2) ||
            r.id.startsWith(query),
        );
      }
      return receipts.slice(0, arg?.limit ?? 50).map(receiptView);
    },
    'receipt.refundable': async ({ qr, fdNumber, totalKop, id }) =>
      refundableSaleView(
        lookupSaleForRefund(
          station.store,
          qr !== undefined ? saleKeyOfQr(qr) : id !== undefined ? { id } : { fdNumber: fdNumber!, totalKop },
        ),
      ),
    'receipt.settle': async ({ idempotencyKey }) => {
      const r = await station.fiscal.settle(idempotencyKey);
      return r && receiptView(r);
    },
    'receipt.retryPrint': async ({ id }) => receiptView(await station.fiscal.retryPrint(id)),
    'receipt.void': async ({ id, reason }) => receiptView(station.fiscal.voidReceipt(id, reason)),

    // The shift, the cash drawer and the KKT
    'shift.get': async () => shiftView(await station.shifts.state()),
    'shift.open': async (arg) => shiftView(await station.shifts.open(arg?.cashierName, arg?.cashierInn)),
    'shift.xReport': async () => shiftReportView(await station.shifts.xReport()),
    'shift.close': async ({ pin, cashierName }) => {
      await manager(pin);
      return shiftReportView(await station.shifts.close(cashierName));
    },
    'cash.in': async ({ amountKop, idempotencyKey }) => station.shifts.cashIn(amountKop, { idempotencyKey }),
    'cash.out': async ({ amountKop, idempotencyKey }) =>
      station.shifts.cashOut(amountKop, { idempotencyKey }),
    'kkt.continuePrint': async () => {
      await station.kkt.continuePrint();
      return kktStatusView(await station.shifts.refresh())!;
    },
    'kkt.openDrawer': async ({ pin }) => {
      await manager(pin);
      await station.drawer.openForManager(BY.managerPinTill);
      return { opened: true as const };
    },
    'receipt.printCopy': async (arg) => receiptView(await station.copies.print(arg?.id, BY.till)),

    // The manager: the PIN itself, then what it guards
    'manager.setPin': async ({ currentPin, newPin }) => {
      await managerPin.set(newPin, currentPin);
      station.journal.append('config_changed', 'Manager PIN set', null, {}, 'pin_set');
      snapshotChanged();
      return { pinSet: true as const };
    },
    'manager.verifyPin': async ({ pin }) => {
      await manager(pin);
      return { valid: true as const };
    },
    'sync.now': async ({ pin }) => {
      await manager(pin);
      return station.worker.syncNow();
    },
    'dlq.list': async ({ pin }) => {
      await manager(pin);
      return station.store.dlq({ includeResolved: true }).map(dlqView);
    },
    'dlq.retry': async ({ pin, receiptId }) => {
      await manager(pin);
      const r = station.store.retryFromDlq(receiptId, BY.manager);
      station.worker.kick();
      return receiptView(r);
    },
    'dlq.resolve': async ({ pin, receiptId, note }) => {
      await manager(pin);
      return dlqView(station.store.resolveDlq(receiptId, BY.manager, note));
    },

    'correction.create': async ({ pin, idempotencyKey, body }) => {
      await manager(pin);
      return receiptView((await station.fiscal.createCorrection(idempotencyKey, body)).receipt);
    },

    'unprinted.list': async ({ pin }) => {
      await manager(pin);
      return station.fiscal.unprinted().map(receiptView);
    },
    'unprinted.print': async ({ pin, receiptId }) => {
      await manager(pin);
      return receiptView(await station.fiscal.retryPrint(receiptId));
    },
    'unprinted.void': async ({ pin, receiptId, reason }) => {
      await manager(pin);
      return receiptView(station.fiscal.voidReceipt(receiptId, reason || 'voided by the manager'));
    },
    'buffer.acknowledgeLoss': async ({ pin, managerName }) => {
      await manager(pin);
      const ack = station.acknowledgeBufferLoss(managerName || BY.manager, BY.managerPinTill);
      snapshotChanged();
      return {
        acknowledgedAt: ack.acknowledgedAt,
        acknowledgedBy: ack.acknowledgedBy,
        detectedAt: ack.detectedAt,
        kktLastFd: ack.kktLastFd,
      };
    },

    // The catalogue
    'catalog.scan': async ({ code }) => catalogScanView(code, station.catalog.scan(code)),
    'catalog.search': async ({ query, limit }) =>
      station.catalog.search(query, limit ?? 20).map(catalogItemView),
    'catalog.upsert': async ({ pin, item }) => {
      await manager(pin);
      // The form's fields are the item's own names: a refusal names them as they are (price, barcodes).
      return station.catalog.upsert([{ where: '', value: item }], BY.manager, (_w, field) => field || 'item');
    },
    'catalog.import': async ({ pin, fileName, base64 }) => {
      await manager(pin);
      const bytes = Buffer.from(base64, 'base64');
      if (bytes.length === 0) throw new BadRequestError(`${fileName} is empty.`);
      const r = station.catalog.importCsv(bytes, BY.manager, fileName);
      return { rows: r.rows, inserted: r.inserted, updated: r.updated, encoding: r.encoding };
    },
    ...quickKeyHandlers(station, managerPin),

    // Cashiers
    'cashier.list': async () => station.cashiers.list().map(cashierView),
    'cashier.signIn': async ({ cashierId, pin }) =>
      cashierView(await station.cashiers.signIn(cashierId, pin)),
    'cashier.createFirst': async ({ cashier }) => {
      if (station.cashiers.count() > 0)
        throw new ConflictError('conflict', 'The station has cashiers already: a manager adds more.');
      const created = await station.cashiers.create({ ...cashier, role: 'manager' }, BY.firstStart);
      snapshotChanged();
      return cashierView(created);
    },
    'cashier.create': async ({ pin, cashier }) => {
      const manager = await station.cashiers.verifyManager(pin);
      const created = await station.cashiers.create(cashier, manager.name);
      snapshotChanged();
      return cashierView(created);
    },

    // Settings (behind the PIN)
    'settings.get': async ({ pin }) => {
      await manager(pin);
      return station.settings.current();
    },
    'settings.update': async ({ pin, patch }) => {
      await manager(pin);
      const { restartRequired } = station.settings.update(patch);
      return { settings: station.settings.current(), restartRequired };
    },
  };
}

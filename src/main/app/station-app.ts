// The station as the desktop app and the browser host see it: the core, the integrators' REST API,
// and one handler per contract command (src/shared/contract.ts). Every argument is validated here, at
// the boundary, and every answer is a Result: nothing throws across a transport. Events (snapshots,
// sync progress, journal entries) are pushed to whichever transport listens.
import { z } from 'zod';
import type { StationConfig } from '../core/config.ts';
import { StationError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { Station } from '../core/station.ts';
import { startRestApi, type RestApi } from '../rest/rest-api.ts';
import { SETTINGS_PATCH_SCHEMA } from '../core/settings.ts';
import { MAX_KOPECKS } from '../core/money.ts';
import type { Kkt } from '../core/kkt/kkt.ts';
import {
  isCommandName, type CommandName, type CommandResult, type EventName, type Events, type Result,
} from '../../shared/contract.ts';
import { ManagerPin } from './manager-pin.ts';
import { buildDiagnostics } from './diagnostics.ts';
import { dlqView, journalView, kktStatusView, receiptView, shiftReportView, shiftView, snapshotView } from './views.ts';

export interface StationApp {
  readonly station: Station;
  /** The integrators' REST API, started with the app. */
  readonly restUrl: string;
  /** Validates the argument and runs the command; never throws. */
  handle(name: CommandName, arg: unknown): Promise<Result<unknown>>;
  /** Pushed events: station.snapshot on change, sync.progress, journal.entry. */
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  stop(): Promise<void>;
}

const pin = z.string({ error: 'the manager PIN is required' }).min(1, { error: 'the manager PIN is required' }).max(8);
const id = z.string().min(1).max(64);
const kop = z.number().int().positive({ error: 'the amount must be above 0' }).max(MAX_KOPECKS);
const cashier = z.string().trim().min(1).max(64).optional();

/** Argument schemas, one per command: the transport passes `unknown`, the handler gets a typed value. */
const ARGS = {
  'station.snapshot': z.undefined().or(z.null()).optional(),
  'receipt.create': z.object({ idempotencyKey: z.string(), body: z.unknown() }),
  'receipt.list': z.object({ limit: z.number().int().min(1).max(500).optional(), query: z.string().max(64).optional() }).optional(),
  'receipt.settle': z.object({ idempotencyKey: z.string().min(1).max(128) }),
  'receipt.retryPrint': z.object({ id }),
  'receipt.void': z.object({ id, reason: z.string().trim().min(1, { error: 'say why the receipt is voided' }).max(200) }),
  'shift.get': z.undefined().or(z.null()).optional(),
  'shift.open': z.object({ cashierName: cashier }).optional(),
  'shift.xReport': z.undefined().or(z.null()).optional(),
  'shift.close': z.object({ pin, cashierName: cashier }),
  'cash.in': z.object({ amountKop: kop, idempotencyKey: z.string().optional() }), // the key's rule lives in the core
  'cash.out': z.object({ amountKop: kop, idempotencyKey: z.string().optional() }),
  'kkt.continuePrint': z.undefined().or(z.null()).optional(),
  'manager.setPin': z.object({ currentPin: z.string().max(8).optional(), newPin: z.string() }),
  'manager.verifyPin': z.object({ pin }),
  'sync.now': z.object({ pin }),
  'dlq.list': z.object({ pin }),
  'dlq.retry': z.object({ pin, receiptId: id }),
  'dlq.resolve': z.object({ pin, receiptId: id, note: z.string().trim().min(1, { error: 'write a note: how was it resolved?' }).max(500) }),
  'settings.get': z.object({ pin }),
  'settings.update': z.object({ pin, patch: SETTINGS_PATCH_SCHEMA }),
  'journal.recent': z.object({ limit: z.number().int().min(1).max(1000).optional() }).optional(),
  'diagnostics.export': z.undefined().or(z.null()).optional(),
} satisfies Record<CommandName, z.ZodType>;

type Handlers = { [K in CommandName]: (arg: z.output<(typeof ARGS)[K]>) => Promise<CommandResult<K>> };

const SNAPSHOT_EVERY_MS = 5_000;
const SNAPSHOT_DEBOUNCE_MS = 150;

export async function startStationApp(config: StationConfig, log: Logger, opts: { kkt?: Kkt; host?: 'electron' | 'browser' } = {}): Promise<StationApp> {
  const station = await Station.open(config, log, opts.kkt);
  let rest: RestApi;
  try {
    rest = await startRestApi(station, { port: config.apiPort, token: config.apiToken, log });
  } catch (e) {
    await station.stop();
    throw new StationError('rest_port_busy', 500, `The REST API could not listen on 127.0.0.1:${config.apiPort} (${(e as Error).message}). Set STATION_API_PORT to a free port.`);
  }
  station.start();
  log.info(`Station started: POS ${config.posId}, KKT ${station.kkt.label}, OFD ${config.ofdUrl}, REST API ${rest.url}, data in ${config.dataDir}`);
  const managerPin = new ManagerPin(station.db, (lockMs) => station.journal.append('config_changed', `Manager PIN locked for ${Math.round(lockMs / 60_000)} min after repeated wrong tries`));
  const listeners = new Set<(name: EventName, payload: unknown) => void>();
  const emit = <E extends EventName>(name: E, payload: Events[E]) => {
    for (const l of listeners) {
      try {
        l(name, payload);
      } catch (e) {
        log.error(`Event listener for ${name} failed: ${(e as Error).message}`);
      }
    }
  };

  // Snapshots go out when something happened (journal) and on a slow tick for time-driven fields.
  let lastSnapshot = '';
  let pending: NodeJS.Timeout | null = null;
  const pushSnapshot = () => {
    pending = null;
    const snap = snapshotView(station, managerPin.isSet());
    const key = JSON.stringify({ ...snap, at: '' });
    if (key === lastSnapshot) return;
    lastSnapshot = key;
    emit('station.snapshot', snap);
  };
  const soon = () => {
    pending ??= setTimeout(pushSnapshot, SNAPSHOT_DEBOUNCE_MS);
  };
  const unsubscribe = [
    station.journal.onEntry((e) => {
      emit('journal.entry', journalView(e));
      soon();
    }),
    station.worker.onProgress((p) => emit('sync.progress', p)),
  ];
  const tick = setInterval(pushSnapshot, SNAPSHOT_EVERY_MS);
  tick.unref();

  const manager = (p: string) => managerPin.verify(p);

  const handlers: Handlers = {
    'station.snapshot': async () => snapshotView(station, managerPin.isSet()),
    'receipt.create': async ({ idempotencyKey, body }) => receiptView((await station.fiscal.createReceipt(idempotencyKey, body)).receipt),
    'receipt.list': async (arg) => {
      const query = arg?.query?.trim().replace(',', '.');
      let receipts = station.store.recent(query ? 500 : (arg?.limit ?? 50));
      if (query) {
        receipts = receipts.filter((r) => String(r.fiscal?.fdNumber ?? '') === query || (r.totalKop / 100).toFixed(2) === Number(query).toFixed(2) || r.id.startsWith(query));
      }
      return receipts.slice(0, arg?.limit ?? 50).map(receiptView);
    },
    'receipt.settle': async ({ idempotencyKey }) => {
      const r = await station.fiscal.settle(idempotencyKey);
      return r && receiptView(r);
    },
    'receipt.retryPrint': async ({ id }) => receiptView(await station.fiscal.retryPrint(id)),
    'receipt.void': async ({ id, reason }) => receiptView(station.fiscal.voidReceipt(id, reason)),
    'shift.get': async () => shiftView(await station.shifts.state()),
    'shift.open': async (arg) => shiftView(await station.shifts.open(arg?.cashierName)),
    'shift.xReport': async () => shiftReportView(await station.shifts.xReport()),
    'shift.close': async ({ pin, cashierName }) => {
      await manager(pin);
      return shiftReportView(await station.shifts.close(cashierName));
    },
    'cash.in': async ({ amountKop, idempotencyKey }) => station.shifts.cashIn(amountKop, { idempotencyKey }),
    'cash.out': async ({ amountKop, idempotencyKey }) => station.shifts.cashOut(amountKop, { idempotencyKey }),
    'kkt.continuePrint': async () => {
      await station.kkt.continuePrint();
      return kktStatusView(await station.shifts.refresh())!;
    },
    'manager.setPin': async ({ currentPin, newPin }) => {
      await managerPin.set(newPin, currentPin);
      station.journal.append('config_changed', 'Manager PIN set');
      soon();
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
      const r = station.store.retryFromDlq(receiptId, 'manager');
      station.worker.kick();
      return receiptView(r);
    },
    'dlq.resolve': async ({ pin, receiptId, note }) => {
      await manager(pin);
      return dlqView(station.store.resolveDlq(receiptId, 'manager', note));
    },
    'settings.get': async ({ pin }) => {
      await manager(pin);
      return station.settings.current();
    },
    'settings.update': async ({ pin, patch }) => {
      await manager(pin);
      const { restartRequired } = station.settings.update(patch);
      return { settings: station.settings.current(), restartRequired };
    },
    'journal.recent': async (arg) => station.journal.recent(arg?.limit ?? 200).map(journalView),
    'diagnostics.export': async () => {
      const { fileName, archive } = buildDiagnostics({
        config: station.config,
        snapshot: snapshotView(station, managerPin.isSet()),
        health: await station.health(),
        journal: station.journal.recent(1000).map(journalView),
        about: { app: 'Cashier Station', node: process.versions.node, electron: process.versions.electron ?? null, platform: process.platform, arch: process.arch, host: opts.host ?? null },
      });
      log.info(`Diagnostics exported: ${fileName}`);
      return { fileName, base64: archive.toString('base64') };
    },
  };

  return {
    station,
    restUrl: rest.url,
    async handle(name, arg) {
      if (!isCommandName(name)) return { ok: false, error: { code: 'unknown_command', message: `Unknown command ${String(name)}.` } };
      const parsed = ARGS[name].safeParse(arg);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`);
        return { ok: false, error: { code: 'validation_error', message: `Invalid input: ${issues.join('; ')}`, details: issues } };
      }
      try {
        const handler = handlers[name] as (a: unknown) => Promise<unknown>;
        return { ok: true, value: await handler(parsed.data) };
      } catch (e) {
        if (e instanceof StationError) return { ok: false, error: { code: e.code, message: e.message, details: e.details() } };
        log.error(`Command ${name} failed: ${(e as Error).stack ?? String(e)}`);
        return { ok: false, error: { code: 'internal_error', message: 'The station hit an internal error; nothing was lost. Export diagnostics and send them to support.' } };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      clearInterval(tick);
      if (pending) clearTimeout(pending);
      for (const u of unsubscribe) u();
      listeners.clear();
      await station.fiscal.close();
      await rest.close();
      await station.stop();
    },
  };
}


// The station as every host sees it: the core, the integrators' REST API, and the contract's commands
// (commands.ts). This is the one way to start a station: the Electron shell, the browser host and
// `npm run headless` all call startStationApp, each passing the REST API's starter (src/main/rest), since
// the application layer imports no host.
//
// Every argument is validated at this boundary and every answer is a Result: nothing throws across a
// transport, and a failure becomes the one wire error (wire-error.ts). Events (snapshots, sync progress,
// journal entries) are pushed to whichever transport listens.
//
// Order: first the data directory's exclusive lock (core/data-dir.ts: one station per directory; a second
// one is refused with DataDirLockedError naming the first, before it opens the KKT, the emulator's state or
// the buffer); then the REST API listens before the station starts syncing (on a busy port start-up stops
// and what was opened is closed again), and stop() closes it before the station: no request meets a closed
// database. The lock is released last, once everything in the directory is closed.
import type { StationConfig } from '../core/config.ts';
import { StationError } from '../../shared/errors.ts';
import type { Logger } from '../core/logger.ts';
import { lockDataDir } from '../core/data-dir.ts';
import { Station } from '../core/station.ts';
import type { Kkt } from '../core/kkt/kkt.ts';
import {
  isCommandName,
  type CommandName,
  type EventName,
  type Events,
  type Result,
} from '../../shared/contract.ts';
import { COMMAND_ARGS, commandHandlers } from './commands.ts';
import { ManagerPin } from './manager-pin.ts';
import { openConfiguredKkt } from './open-kkt.ts';
import { journalView, snapshotView } from './views.ts';
import { toWireError } from './wire-error.ts';
import { startSerialScanner, type SerialScanner } from '../core/catalog/serial-scanner.ts';

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

/** Serves the REST API for a station on 127.0.0.1 (src/main/rest's startRestApi). */
export type RestApiStarter = (
  station: Station,
  opts: { port: number; token: string; log: Logger },
) => Promise<{ url: string; close(): Promise<void> }>;

export interface StationAppOptions {
  restApi: RestApiStarter;
  /** Which shell runs the app (diagnostics); none for headless. */
  host?: 'electron' | 'browser';
  kkt?: Kkt;
}

const SNAPSHOT_EVERY_MS = 5_000;
const SNAPSHOT_DEBOUNCE_MS = 150;

export async function startStationApp(
  config: StationConfig,
  log: Logger,
  opts: StationAppOptions,
): Promise<StationApp> {
  const lock = lockDataDir(config.dataDir, opts.host ?? 'headless');
  let station: Station;
  let kkt: Kkt | undefined;
  try {
    kkt = opts.kkt ?? (await openConfiguredKkt(config, log));
    station = await Station.open(config, log, kkt);
  } catch (e) {
    // Nothing of ours may stay open in the directory once the next station may take it.
    if (kkt && !opts.kkt) await kkt.close().catch(() => {});
    lock.release();
    throw e;
  }
  let rest: Awaited<ReturnType<RestApiStarter>>;
  try {
    rest = await opts.restApi(station, { port: config.apiPort, token: config.apiToken, log });
  } catch (e) {
    await station.stop();
    lock.release();
    throw new StationError(
      'rest_port_busy',
      500,
      `The REST API could not listen on 127.0.0.1:${config.apiPort} (${(e as Error).message}). Set STATION_API_PORT to a free port.`,
    );
  }
  station.start();
  log.info(
    `Station started: POS ${config.posId}, KKT ${station.kkt.label}, OFD ${config.ofdUrl}, REST API ${rest.url}, data in ${config.dataDir}`,
  );
  const managerPin = new ManagerPin(station.cashiers);
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
    station.onKktStatus(soon),
  ];
  const tick = setInterval(pushSnapshot, SNAPSHOT_EVERY_MS);
  tick.unref();
  // A serial (COM) scanner's codes go to the open screen (sale, refund) as scans; a keyboard scanner
  // needs nothing here.
  const scanner: SerialScanner | null = config.scanner
    ? startSerialScanner({
        path: config.scanner,
        baudRate: config.scannerBaud,
        log,
        onScan: (code) => emit('scanner.scan', { code }),
      })
    : null;

  const handlers = commandHandlers({
    station,
    managerPin,
    log,
    host: opts.host ?? null,
    snapshotChanged: soon,
  });

  return {
    station,
    restUrl: rest.url,
    async handle(name, arg) {
      if (!isCommandName(name))
        return { ok: false, error: { code: 'unknown_command', message: `Unknown command ${String(name)}.` } };
      try {
        const handler = handlers[name] as (a: unknown) => Promise<unknown>;
        return { ok: true, value: await handler(COMMAND_ARGS[name].parse(arg)) };
      } catch (e) {
        return { ok: false, error: toWireError(e, log, `Command ${name}`).error };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      clearInterval(tick);
      await scanner?.close();
      if (pending) clearTimeout(pending);
      for (const u of unsubscribe) u();
      listeners.clear();
      await station.fiscal.close();
      await rest.close();
      try {
        await station.stop();
      } finally {
        lock.release();
      }
    },
  };
}

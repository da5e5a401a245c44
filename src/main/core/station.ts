// The station's composition root: one object that owns the buffer, the KKT, the fiscal service, the
// OFD breaker and the sync worker, and answers the status questions every host asks (REST, IPC,
// headless). Electron's main process, `npm run headless` and the browser host all start this.
// Over 400 lines because it is the one place that wires the parts together and derives every status
// from them (buffer, health, ops metrics); each part's own rules live in its folder.
//
// Health is `unhealthy` (HTTP 503) when the database does not answer, the KKT does not, the buffer is at
// capacity, the disk is below the free-space floor (disk-guard.ts), a printed receipt waits to be
// recorded, or a lost buffer waits for the manager's acknowledgement (buffer-loss.ts): each needs a person.
// The KKT component also carries the FN's health (src/shared/fn-health.ts: expiry, unsent days, warning
// flags) and the tax system in use; a configured system the KKT is not registered for makes it unhealthy
// and refuses sales (409 tax_system_mismatch) until the configuration or the registration is fixed.
import { join } from 'node:path';
import { openDatabase, type Db } from './buffer/database.ts';
import { HybridClock } from './buffer/hlc.ts';
import { Journal } from './buffer/journal.ts';
import { ReceiptStore, type StatusCounts } from './buffer/receipt-store.ts';
import type { ReceiptType } from './buffer/receipt-draft.ts';
import { DiskGuard, type DiskStatus } from './buffer/disk-guard.ts';
import { BufferLoss } from './buffer/buffer-loss.ts';
import { PermitChecker } from './fiscal/marking/permit-check.ts';
import { weightLayoutOf, type StationConfig } from './config.ts';
import { Catalog } from './catalog/catalog.ts';
import { takeMoveNote, type MoveNote } from './data-dir-move.ts';
import { CashierStore } from './cashiers/cashier-store.ts';
import { FiscalService } from './fiscal/fiscal-service.ts';
import type { Kkt, KktStatus } from './kkt/kkt.ts';
import { registerLogSecrets, type Logger } from './logger.ts';
import { OfdClient } from './ofd/ofd-client.ts';
import { OfdBreaker, type BreakerSnapshot } from './sync/ofd-breaker.ts';
import { SyncWorker } from './sync/sync-worker.ts';
import { ShiftService } from './shift/shift-service.ts';
import { StationSettings } from './settings.ts';
import { FnRelay, type FnRelaySnapshot } from './fn-relay/fn-relay.ts';
import { parseOfdServer } from './fn-relay/ofd-tcp.ts';
import { fnHealth, type FnHealth } from '../../shared/fn-health.ts';
import { TaxSystemError } from '../../shared/errors.ts';
import { CashDrawer } from './fiscal/cash-drawer.ts';
import { ReceiptCopies } from './fiscal/receipt-copy.ts';
import type { JournalParams } from '../../shared/journal-codes.ts';
import { taxSystemProblemText } from '../../shared/tax-systems.ts';
import type { ByCode } from '../../shared/journal-by.ts';

export type NetworkStatus = 'online' | 'degraded' | 'offline';
export type AlertLevel = 'ok' | 'warning' | 'critical' | 'full';

export interface BufferStatus {
  capacity: number;
  queued: number;
  percentFull: number;
  alert: AlertLevel;
  networkStatus: NetworkStatus;
  counts: StatusCounts;
  total: number;
  dlqSize: number;
  oldestPendingAt: string | null;
  /** Stored, never printed, not being printed now (orphans of a crash, refusals): print or void them. */
  unprinted: number;
}

export interface OpsStatus {
  startedAt: string;
  /** When the OFD breaker first left CLOSED in the current outage; null while it is closed. */
  ofdOutageSince: string | null;
  /** The KKT answered the station's last status probe. */
  kktConnected: boolean;
  /** The last KKT status seen (null before the first answer). */
  kkt: KktStatus | null;
  /** Receipts printed (or found printed by reconciliation) since this process started. */
  printedSinceStart: Record<ReceiptType, number>;
}

export type HealthLevel = 'healthy' | 'degraded' | 'unhealthy';

export interface Health {
  status: HealthLevel;
  components: {
    database: { status: 'ok' | 'error'; error?: string };
    buffer: { status: AlertLevel; percentFull: number; dlqSize: number };
    breaker: BreakerSnapshot;
    kkt: {
      status: 'ok' | 'warning' | 'error';
      detail: KktStatus | null;
      error?: string;
      /** The FN's health by the shared rule, when the KKT answered. */
      fn: FnHealth | null;
      /** Why the component is not ok, as codes (fn_expiring, tax_system_mismatch, paper_out…). */
      problems: string[];
    };
    disk: DiskStatus & { error?: string };
    /** Receipts the KKT printed whose record waits for the disk (or another write failure). */
    unrecordedPrints: number;
    /** A lost buffer waiting for the manager's acknowledgement (sales are refused until then). */
    bufferLost: { detectedAt: string; kktLastFd: number } | null;
    /** The FN → OFD relay (ofdServer set), or null when the KKT sends to the OFD by itself. */
    fnRelay: FnRelaySnapshot | null;
  };
}

const RETENTION_EVERY_MS = 60 * 60 * 1000;
const KKT_STATUS_TIMEOUT_MS = 5_000;
const KKT_POLL_MS = 15_000;

export class Station {
  readonly db: Db;
  readonly clock: HybridClock;
  readonly journal: Journal;
  readonly store: ReceiptStore;
  readonly fiscal: FiscalService;
  readonly breaker: OfdBreaker;
  readonly worker: SyncWorker;
  readonly shifts: ShiftService;
  readonly settings: StationSettings;
  readonly disk: DiskGuard;
  readonly loss: BufferLoss;
  /** Relays the FN's messages to the OFD for a KKT without network (ofdServer); null when unset. */
  readonly relay: FnRelay | null;
  readonly catalog: Catalog;
  /** The cash drawer on the KKT's port (cashDrawer), opened after cash moved and by the manager. */
  readonly drawer: CashDrawer;
  /** «Копия чека»: non-fiscal copies of printed receipts. */
  readonly copies: ReceiptCopies;
  /** Who may sign in at the till, with hashed PINs; managers approve manager actions. */
  readonly cashiers: CashierStore;
  private timers: NodeJS.Timeout[] = [];
  private readonly kktStatusListeners = new Set<() => void>();
  /** For /metrics (docs/fleet.md): see opsStatus(). */
  private readonly startedAtMs = Date.now();
  private ofdOutageSinceMs: number | null = null;
  private kktAnswered = false;
  private readonly printedSinceStart: Record<ReceiptType, number> = { sale: 0, refund: 0, correction: 0 };

  private readonly unregisterSecrets: () => void;

  private constructor(
    readonly config: StationConfig,
    readonly kkt: Kkt,
    readonly log: Logger,
  ) {
    this.db = openDatabase(join(config.dataDir, 'buffer.sqlite'));
    this.clock = new HybridClock(this.db);
    this.journal = new Journal(this.db, this.clock);
    this.store = new ReceiptStore(this.db, this.clock, this.journal);
    this.disk = new DiskGuard(config.dataDir, log);
    this.disk.ensureReserve();
    this.loss = new BufferLoss(this.db, this.journal);
    this.catalog = new Catalog(this.db, this.journal, weightLayoutOf(config));
    this.cashiers = new CashierStore(this.db, this.journal);
    // The live configuration: a token changed in the settings is redacted from the next line on.
    this.unregisterSecrets = registerLogSecrets(() => [
      config.apiToken,
      config.ofdToken,
      ...(config.markCheckToken ? [config.markCheckToken] : []),
    ]);
    this.breaker = new OfdBreaker(
      new OfdClient({ baseUrl: config.ofdUrl, token: config.ofdToken, timeoutMs: config.ofdTimeoutMs }),
      {
        threshold: config.breakerThreshold,
        resetMs: config.breakerResetMs,
      },
    );
    this.worker = new SyncWorker({
      store: this.store,
      journal: this.journal,
      breaker: this.breaker,
      log,
      intervalMs: config.syncIntervalMs,
      batchSize: config.syncBatchSize,
      concurrency: config.syncConcurrency,
      maxAttempts: config.maxAttempts,
      backoffBaseMs: config.backoffBaseMs,
      backoffMaxMs: config.backoffMaxMs,
    });
    this.drawer = new CashDrawer({
      kkt,
      journal: this.journal,
      log,
      enabled: config.cashDrawer === 'kkt',
    });
    this.copies = new ReceiptCopies({ kkt, store: this.store, journal: this.journal, log });
    this.relay = createRelay(config, kkt, log, () => void this.probeKkt().catch(() => undefined));
    this.shifts = new ShiftService({
      db: this.db,
      journal: this.journal,
      kkt,
      log,
      exclusive: (task) => this.fiscal.exclusive(task),
      onClosed: (shiftNumber) =>
        this.fiscal.voidUnprinted(`not printed by the end of shift ${shiftNumber} (Z report)`),
      onStatus: () => {
        for (const l of this.kktStatusListeners) l();
        // A shift report or a document the station did not print itself: the FN has something for the OFD.
        if ((this.shifts.lastKnownStatus()?.unsentCount ?? 0) > 0) this.relay?.kick();
      },
      onCash: (kind, amountKop) =>
        void this.drawer.afterCash(kind === 'in' ? 'cash_in' : 'cash_out', amountKop),
    });
    const permits = new PermitChecker({
      url: config.markCheckUrl ?? null,
      token: config.markCheckToken,
      timeoutMs: config.markCheckTimeoutMs,
      log,
    });
    this.fiscal = new FiscalService({
      store: this.store,
      kkt,
      log,
      capacity: () => this.config.bufferCapacity,
      shiftCashier: () => this.shifts.currentCashier(),
      onPrinted: (receipt) => {
        this.printedSinceStart[receipt.type]++;
        this.worker.kick();
        this.relay?.kick();
        if (receipt.fiscal) this.shifts.notePrinted(receipt.fiscal);
      },
      // The sale is answered without waiting for the drawer: its failure is a journal entry, never the sale's.
      afterPrint: (receipt) => void this.drawer.afterCash('receipt', receipt.draft.cashKop, receipt.id),
      beforeSale: async () => {
        this.checkTaxSystem();
        await this.checkCanFiscalise(false);
        await this.shifts.checkSaleAllowed();
      },
      beforePrint: () => this.checkCanFiscalise(true),
      checkPermits: (draft) => permits.check(draft),
      releaseReserve: () => this.disk.releaseReserve(),
      catalogItem: (code) => this.catalog.get(code),
      discountLimit: () => Math.round(this.config.cashierDiscountLimitPercent * 100),
    });
    this.settings = new StationSettings({
      config,
      breaker: this.breaker,
      worker: this.worker,
      journal: this.journal,
    });
    this.breaker.onStateChange((state) => {
      const b = this.breaker.snapshot();
      if (state === 'OPEN') {
        const opened = `OFD breaker opened after ${b.consecutiveFailures || this.config.breakerThreshold} failures in a row; next try at ${b.nextAttemptAt}`;
        log.warn(`${opened} (last failure: ${b.lastFailure ?? 'none'})`);
        const why = this.breaker.lastFailureWhy;
        this.journal.append('breaker_opened', opened, null, {
          last_failure: b.lastFailure,
          ...(why ? { last_failure_why: why } : {}),
          failures: b.consecutiveFailures || this.config.breakerThreshold,
          next_attempt_at: b.nextAttemptAt,
        });
      }
      if (state === 'HALF_OPEN') {
        log.info('OFD breaker half-open: one trial send');
        this.journal.append('breaker_half_open', 'OFD breaker half-open: one trial send');
      }
      if (state === 'CLOSED') {
        log.info('OFD breaker closed: the OFD answers again');
        this.journal.append('breaker_closed', 'OFD breaker closed: the OFD answers again');
        this.worker.kick(); // the network is back: deliver the backlog now
      }
    });
    // An outage lasts from the first OPEN to CLOSED: a failed half-open trial opens the breaker again
    // (and resets its openedAt), which must not make a 2-hour outage look 1 minute old.
    // The breaker's own opening time, not this listener's clock: the journal listener before it commits
    // (an fsync), which under load made the outage look younger than it is.
    this.breaker.onStateChange((state) => {
      if (state === 'CLOSED') this.ofdOutageSinceMs = null;
      else this.ofdOutageSinceMs ??= Date.parse(this.breaker.snapshot().openedAt ?? '') || Date.now();
    });
  }

  /** Told whenever the KKT's status was read again (after a print in a new shift, the poll, health). */
  onKktStatus(listener: () => void): () => void {
    this.kktStatusListeners.add(listener);
    return () => this.kktStatusListeners.delete(listener);
  }

  /**
   * Opens the buffer over an opened KKT (the app layer chooses and opens it: src/main/app/open-kkt.ts)
   * and recovers what a crash left mid-way. Call start() to begin syncing.
   */
  static async open(config: StationConfig, log: Logger, kkt: Kkt): Promise<Station> {
    const station = new Station(config, kkt, log);
    try {
      await station.fiscal.recover();
      const status = await station.probeKkt();
      station.loss.compare(status);
      station.logRegistration(status);
    } catch (e) {
      // The KKT is not answering: the station still starts (status, sync of printed receipts), and
      // reconciliation runs again before the next print.
      log.error(`Start-up check of the KKT failed: ${(e as Error).message}`);
    }
    return station;
  }

  /**
   * Before a new fiscal document: room on the disk, and no lost buffer waiting for the manager. A new
   * buffer not yet compared with the KKT asks it now; before storing a sale a KKT that does not answer
   * is left to the print (which refuses it in the KKT's words), right before printing it refuses.
   */
  private async checkCanFiscalise(kktRequired: boolean): Promise<void> {
    this.disk.checkNewSale();
    if (this.loss.pending()) {
      const status = await this.kkt.status().catch((e: unknown) => {
        if (kktRequired) throw e;
        return null;
      });
      if (status) this.loss.compare(status);
    }
    this.loss.assertUsable();
  }

  /** One line at start: what the KKT is registered for and which tax system receipts are issued under. */
  private logRegistration(s: KktStatus): void {
    if (!s.connected) return;
    this.log.info(
      `KKT registration: tax systems ${s.taxSystems.join(', ') || 'none'}, in use ${s.taxSystem ?? 'none'}` +
        `${s.configuredTaxSystem ? ` (configured ${s.configuredTaxSystem})` : ''}; FFD ${s.ffdVersion ?? 'unknown'}; ` +
        `FN ${s.fnNumber} valid to ${s.fnExpiresOn ?? 'unknown'}${s.fnWarnings.length ? `, FN warnings: ${s.fnWarnings.join(', ')}` : ''}`,
    );
    if (s.taxSystemProblem)
      this.log.warn(taxSystemProblemText(s.taxSystemProblem, s.configuredTaxSystem, s.taxSystems));
  }

  /**
   * Before a sale is stored: the tax system the KKT last reported must be usable (registered and
   * chosen). Unknown before the KKT first answers: the driver then checks it itself at print.
   */
  private checkTaxSystem(): void {
    const s = this.shifts.lastKnownStatus();
    if (!s?.connected || !s.taxSystemProblem) return;
    throw new TaxSystemError(
      s.taxSystemProblem,
      taxSystemProblemText(s.taxSystemProblem, s.configuredTaxSystem, s.taxSystems),
      s.configuredTaxSystem,
      s.taxSystems,
    );
  }

  /** The manager acknowledges a lost buffer (buffer-loss.ts): sales resume, the journal says who and when. */
  acknowledgeBufferLoss(by: string, via: ByCode) {
    return this.loss.acknowledge(by, via);
  }

  start(): void {
    this.journalQuietly(
      'station_started',
      `Station started (POS ${this.config.posId}, KKT: ${this.kkt.label})`,
      {
        pos_id: this.config.posId,
        kkt: this.kkt.label,
      },
    );
    this.journalDataDirMove();
    this.worker.start();
    this.relay?.start();
    this.runRetention();
    this.voidExpiredUnprinted();
    this.timers = [
      setInterval(() => this.runRetention(), RETENTION_EVERY_MS),
      // A quarter of the TTL (1 s … 1 min): a receipt is voided at most that long after it expired.
      setInterval(
        () => this.voidExpiredUnprinted(),
        Math.min(60_000, Math.max(1_000, Math.round(this.config.unprintedTtlMs / 4))),
      ),
      // Paper, cover, shift age and the FN's unsent documents change without us: keep the status fresh,
      // and settle a print whose answer was lost as soon as the KKT answers again.
      setInterval(() => void this.pollKkt(), KKT_POLL_MS),
    ];
    for (const t of this.timers) t.unref();
  }

  private stopped = false;

  /** Graceful stop; safe to call twice (a signal during shutdown, a test's cleanup). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.fiscal.close();
    await this.worker.stop();
    await this.relay?.stop();
    this.breaker.shutdown();
    this.journalQuietly('station_stopped', 'Station stopped');
    await this.kkt.close();
    this.db.close();
    this.unregisterSecrets();
  }

  /** An older version's data moved into this data directory, or still lying in its old folder (data-dir-move.ts). */
  private journalDataDirMove(): void {
    const note = takeMoveNote(this.config.dataDir);
    if (!note) return;
    try {
      this.appendMoveNote(note);
    } catch (e) {
      this.log.error(`Journal entry of the data move not written: ${(e as Error).message}`);
    }
  }

  private appendMoveNote(note: MoveNote): void {
    if (note.kind === 'moved') {
      const message = `Data moved from ${note.from} to ${this.config.dataDir} (an older version's folder)`;
      this.log.info(message);
      this.journal.append('data_dir_moved', message, null, {
        from: note.from,
        to: this.config.dataDir,
        files: note.files,
        at: note.at,
      });
    } else {
      const message = `An older version's data is still in ${note.from}; this station uses ${this.config.dataDir} and did not touch it`;
      this.log.warn(message);
      this.journal.append('data_dir_left_behind', message, null, {
        from: note.from,
        to: this.config.dataDir,
      });
    }
  }

  /** Start and stop entries are not worth failing for (a full disk): logged instead. */
  private journalQuietly(
    kind: 'station_started' | 'station_stopped',
    message: string,
    params?: JournalParams,
  ): void {
    try {
      this.journal.append(kind, message, null, params);
    } catch (e) {
      this.log.error(`Journal entry "${message}" not written: ${(e as Error).message}`);
    }
  }

  bufferStatus(): BufferStatus {
    const counts = this.store.counts();
    const queued = this.store.queued();
    const capacity = this.config.bufferCapacity;
    const percentFull = Math.round((queued / capacity) * 1000) / 10;
    return {
      capacity,
      queued,
      percentFull,
      alert: alertLevel(queued, capacity),
      networkStatus: this.networkStatus(),
      counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      dlqSize: this.store.dlqSize(),
      oldestPendingAt: this.store.oldestPending()?.createdAt ?? null,
      unprinted: this.fiscal.unprintedCount(),
    };
  }

  /**
   * From the breaker and the last OFD contact (failures, a refused token), never from the queue
   * length: an empty buffer is not "offline".
   */
  networkStatus(): NetworkStatus {
    const b = this.breaker.snapshot();
    if (b.state === 'OPEN') return 'offline';
    if (b.state === 'HALF_OPEN' || b.consecutiveFailures > 0 || this.worker.snapshot().ofdAuthFailure)
      return 'degraded';
    return 'online';
  }

  async health(): Promise<Health> {
    let database: Health['components']['database'] = { status: 'ok' };
    try {
      // Reads one page of the file, never the whole receipts table (which grows with the retention).
      this.db.prepare('SELECT n FROM receipt_counts LIMIT 1').get();
    } catch (e) {
      database = { status: 'error', error: (e as Error).message };
    }
    const buffer = this.bufferStatus();
    let kkt: Health['components']['kkt'];
    try {
      const detail = await withTimeout(
        this.probeKkt(),
        KKT_STATUS_TIMEOUT_MS,
        'the KKT did not answer a status request',
      );
      kkt = kktComponent(detail, Date.now());
    } catch (e) {
      kkt = {
        status: 'error',
        detail: null,
        error: (e as Error).message,
        fn: null,
        problems: ['not_connected'],
      };
    }
    const breaker = this.breaker.snapshot();
    let disk: Health['components']['disk'];
    try {
      disk = this.disk.status();
    } catch (e) {
      disk = { status: 'full', freeBytes: 0, floorBytes: 0, reserved: false, error: (e as Error).message };
    }
    const unrecordedPrints = this.fiscal.unrecordedCount();
    const lost = database.status === 'ok' ? this.loss.state() : null;
    const fnRelay = this.relay?.snapshot() ?? null;
    const status: HealthLevel =
      database.status === 'error' ||
      kkt.status === 'error' ||
      buffer.alert === 'full' ||
      disk.status === 'full' ||
      unrecordedPrints > 0 ||
      lost !== null
        ? 'unhealthy'
        : this.networkStatus() !== 'online' ||
            buffer.alert !== 'ok' ||
            kkt.status === 'warning' ||
            buffer.dlqSize > 0 ||
            (fnRelay !== null && fnRelay.breaker.state !== 'CLOSED')
          ? 'degraded'
          : 'healthy';
    return {
      status,
      components: {
        database,
        buffer: { status: buffer.alert, percentFull: buffer.percentFull, dlqSize: buffer.dlqSize },
        breaker,
        kkt,
        disk,
        unrecordedPrints,
        bufferLost: lost && { detectedAt: lost.detectedAt, kktLastFd: lost.kktLastFd },
        fnRelay,
      },
    };
  }

  private async pollKkt(): Promise<void> {
    try {
      if (this.fiscal.hasUnsettledPrint()) await this.fiscal.recover();
      await this.probeKkt();
    } catch (e) {
      this.kktAnswered = false; // reconciling an unsettled print failed: the KKT did not answer either
      this.log.warn(`KKT status poll failed: ${(e as Error).message}`);
    }
  }

  /** Voids the never-printed receipts older than `unprintedTtlMs` (each with its journal entry). */
  voidExpiredUnprinted(): number {
    try {
      const ttl = this.config.unprintedTtlMs;
      return this.fiscal.voidUnprinted(
        `not printed within ${formatDuration(ttl)} (unprintedTtlMs); ring the sale again if it is still wanted`,
        new Date(Date.now() - ttl),
      );
    } catch (e) {
      this.log.error(`Voiding expired unprinted receipts failed: ${(e as Error).message}`);
      return 0;
    }
  }

  /** Asks the KKT for its status and remembers whether it answered (the start-up check, the poll, health). */
  private async probeKkt(): Promise<KktStatus> {
    try {
      const status = await this.shifts.refresh();
      this.kktAnswered = status.connected;
      return status;
    } catch (e) {
      this.kktAnswered = false;
      throw e;
    }
  }

  /**
   * What a fleet's monitoring needs besides the buffer (src/main/rest/metrics.ts, docs/fleet.md), all
   * without a device round trip: a scrape must not queue behind a print. The KKT figures are those of
   * the last status the station saw (refreshed every 15 s and after shift operations); `kktConnected`
   * is false when the station's last probe got no answer, so stale figures are flagged as such.
   */
  opsStatus(): OpsStatus {
    return {
      startedAt: new Date(this.startedAtMs).toISOString(),
      ofdOutageSince: this.ofdOutageSinceMs === null ? null : new Date(this.ofdOutageSinceMs).toISOString(),
      kktConnected: this.kktAnswered && (this.shifts.lastKnownStatus()?.connected ?? false),
      kkt: this.shifts.lastKnownStatus(),
      printedSinceStart: { ...this.printedSinceStart },
    };
  }

  private runRetention(): void {
    try {
      this.store.purge(this.config.retentionSyncedDays, this.config.retentionDlqDays);
    } catch (e) {
      this.log.error(`Retention purge failed: ${(e as Error).message}`);
    }
  }
}

/** The FN relay when `ofdServer` is set and the KKT can relay; told to refresh the KKT status after deliveries. */
function createRelay(config: StationConfig, kkt: Kkt, log: Logger, onDelivered: () => void): FnRelay | null {
  if (!config.ofdServer) return null;
  const server = parseOfdServer(config.ofdServer);
  if (typeof server === 'string') throw new Error(`ofdServer ${config.ofdServer}: ${server}`); // validated in config
  if (!kkt.fnExchange) {
    log.warn(`ofdServer is set, but the KKT (${kkt.label}) cannot relay the FN's messages: not started`);
    return null;
  }
  return new FnRelay({
    port: kkt.fnExchange,
    server,
    log,
    intervalMs: config.syncIntervalMs,
    timeoutMs: config.ofdTimeoutMs,
    breakerThreshold: config.breakerThreshold,
    breakerResetMs: config.breakerResetMs,
    backoffBaseMs: config.backoffBaseMs,
    backoffMaxMs: config.backoffMaxMs,
    onDelivered,
  });
}

/** The KKT's health: not answering or no usable tax system or a critical FN → error; paper, cover, shift or FN warnings → warning. */
export function kktComponent(detail: KktStatus, nowMs: number): Health['components']['kkt'] {
  if (!detail.connected) return { status: 'error', detail, fn: null, problems: ['not_connected'] };
  const fn = fnHealth(detail, nowMs);
  const errors = [...(detail.taxSystemProblem ? [`tax_system_${detail.taxSystemProblem}`] : [])];
  const warnings: string[] = [];
  (fn.level === 'critical' ? errors : warnings).push(...fn.reasons);
  if (!detail.paperPresent) warnings.push('paper_out');
  if (detail.coverOpen) warnings.push('cover_open');
  if (detail.shiftExpired) warnings.push('shift_expired');
  const status = errors.length ? 'error' : warnings.length ? 'warning' : 'ok';
  return { status, detail, fn, problems: [...errors, ...warnings] };
}

export function alertLevel(queued: number, capacity: number): AlertLevel {
  const ratio = queued / capacity;
  return ratio >= 1 ? 'full' : ratio >= 0.9 ? 'critical' : ratio >= 0.8 ? 'warning' : 'ok';
}

function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
  ]).finally(() => clearTimeout(timer));
}

// The FN → OFD relay (kkt-protocol.md §7.7, docs/kkt.md): the second background loop beside the sync
// worker, for KKTs without a network of their own. Each run switches table 21 to host mode once, then
// for each document the FN has for the OFD: reads its message (FF30h/FF31h), sends it to the OFD
// server over TCP through the relay's own breaker, writes the answer back (FF32h/FF33h); the FN checks
// it and drops the document from its unsent queue. Every KKT call is one command that waits until no
// station operation is queued (ShtrihKkt.background), so a sale is never held up by the relay for more
// than one command. Runs: every interval, soon after a print (kick), and with backoff after failures.
import { KktError } from '../../../shared/errors.ts';
import type { FnRelayFailureWhy } from '../../../shared/fn-relay-failure.ts';
import { sessionMessageLength } from '../../../shtrih-protocol/fn-exchange.ts';
import type { FnExchangePort } from '../kkt/fn-exchange-port.ts';
import type { Logger } from '../logger.ts';
import type { BreakerSnapshot } from '../util/counting-breaker.ts';
import { exchangeWithOfd, formatOfdServer, OfdExchangeError, type OfdServerAddress } from './ofd-tcp.ts';
import { RelayBreaker } from './relay-breaker.ts';
import { nextBackoffMs } from '../util/backoff.ts';

/** FN error 20h: the FN did not accept the OFD's answer. */
const FN_REFUSED_ANSWER = 0x20;
/** Documents per run before the loop yields to the timer (it runs again at once when more wait). */
const MAX_DOCUMENTS_PER_RUN = 20;

export interface FnRelayOptions {
  port: FnExchangePort;
  server: OfdServerAddress;
  log: Logger;
  intervalMs: number;
  timeoutMs: number;
  breakerThreshold: number;
  breakerResetMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Told after a run that delivered documents (the station refreshes the KKT status). */
  onDelivered?: (count: number) => void;
  /** The exchange with the OFD; tests may wrap it. */
  exchange?: typeof exchangeWithOfd;
}

export interface RelayRun {
  delivered: number;
  /** The OFD could not be reached or answered something that is not a message. */
  failed: number;
  /** The FN refused the OFD's answer (error 20h). */
  refused: number;
  /** The KKT did not answer or refused a buffer command. */
  kktErrors: number;
  /** The breaker was open: nothing was sent. */
  held: boolean;
  bytesSent: number;
  bytesReceived: number;
  durationMs: number;
}

export interface FnRelaySnapshot {
  server: string;
  running: boolean;
  /** Table 21 was found (or put) in host mode since start; null before the first successful check. */
  hostMode: boolean | null;
  lastRunAt: string | null;
  lastRun: RelayRun | null;
  /** The last document that went to the OFD and back into the FN. */
  lastExchangeAt: string | null;
  /** English, for support and the log (the UI's tooltip). */
  lastError: string | null;
  /** `lastError` as a code for the UI's words (src/shared/fn-relay-failure.ts). */
  lastErrorWhy: FnRelayFailureWhy | null;
  lastErrorAt: string | null;
  nextRunAt: string | null;
  backoffMs: number;
  totals: { runs: number; delivered: number; failed: number; refused: number; kktErrors: number };
  breaker: BreakerSnapshot;
}

export class FnRelay {
  readonly breaker: RelayBreaker;
  private readonly exchange: typeof exchangeWithOfd;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<RelayRun> | null = null;
  private started = false;
  private kickPending = false;
  private hostMode: boolean | null = null;
  private backoffMs = 0;
  private nextRunAtMs: number | null = null;
  private lastRunAtMs: number | null = null;
  private lastRun: RelayRun | null = null;
  private lastExchangeAtMs: number | null = null;
  private lastError: string | null = null;
  private lastErrorWhy: FnRelayFailureWhy | null = null;
  private lastErrorAtMs: number | null = null;
  private readonly totals = { runs: 0, delivered: 0, failed: 0, refused: 0, kktErrors: 0 };
  /** Cuts an exchange with the OFD short when the station stops (it may wait ofdTimeoutMs otherwise). */
  private abort = new AbortController();

  constructor(private readonly o: FnRelayOptions) {
    this.breaker = new RelayBreaker({ threshold: o.breakerThreshold, resetMs: o.breakerResetMs });
    this.exchange = o.exchange ?? exchangeWithOfd;
    this.breaker.onStateChange((state) => {
      const b = this.breaker.snapshot();
      if (state === 'OPEN')
        o.log.warn(
          `FN relay: OFD breaker opened after ${b.consecutiveFailures} failures in a row; next try at ${b.nextAttemptAt} (last failure: ${b.lastFailure ?? 'none'})`,
        );
      if (state === 'HALF_OPEN') o.log.info('FN relay: OFD breaker half-open: one trial exchange');
      if (state === 'CLOSED') {
        o.log.info('FN relay: OFD breaker closed: the OFD answers again');
        this.kick();
      }
    });
  }

  start(): void {
    this.started = true;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.o.log.info(
      `FN relay started: the FN's documents go to the OFD at ${formatOfdServer(this.o.server)}`,
    );
    this.schedule(0);
  }

  /**
   * Stops scheduling, cuts a pending exchange with the OFD short and waits for the run to end (its KKT
   * commands are bounded by the link's timeouts). A document cut short stays unsent in the FN: the next
   * start sends it again (the OFD answers a repeated message again).
   */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextRunAtMs = null;
    this.abort.abort();
    await this.current?.catch(() => undefined);
    this.breaker.shutdown();
  }

  /** A document was printed (or the network came back): run soon, unless backing off. */
  kick(): void {
    if (!this.started) return;
    if (this.current) {
      this.kickPending = true;
      return;
    }
    if (this.backoffMs === 0) this.schedule(0);
  }

  /** One run now (tests, and the scheduled loop); runs never overlap. */
  runOnce(): Promise<RelayRun> {
    this.current ??= this.run().finally(() => (this.current = null));
    return this.current;
  }

  snapshot(): FnRelaySnapshot {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      server: formatOfdServer(this.o.server),
      running: this.current !== null,
      hostMode: this.hostMode,
      lastRunAt: iso(this.lastRunAtMs),
      lastRun: this.lastRun,
      lastExchangeAt: iso(this.lastExchangeAtMs),
      lastError: this.lastError,
      lastErrorWhy: this.lastErrorWhy,
      lastErrorAt: iso(this.lastErrorAtMs),
      nextRunAt: iso(this.nextRunAtMs),
      backoffMs: this.backoffMs,
      totals: { ...this.totals },
      breaker: this.breaker.snapshot(),
    };
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextRunAtMs = Date.now() + delayMs;
    this.timer = setTimeout(() => void this.scheduledRun(), delayMs);
    this.timer.unref?.();
  }

  private async scheduledRun(): Promise<void> {
    this.timer = null;
    this.nextRunAtMs = null;
    const r = await this.runOnce();
    const trouble = r.failed + r.refused + r.kktErrors > 0 || r.held;
    this.backoffMs =
      r.delivered > 0 || !trouble
        ? 0
        : nextBackoffMs(this.backoffMs, { baseMs: this.o.backoffBaseMs, maxMs: this.o.backoffMaxMs });
    const more = r.delivered >= MAX_DOCUMENTS_PER_RUN;
    if (this.backoffMs) this.schedule(this.backoffMs);
    else this.schedule(more || this.kickPending ? 0 : this.o.intervalMs);
    this.kickPending = false;
  }

  private async run(): Promise<RelayRun> {
    const started = Date.now();
    const r: RelayRun = {
      delivered: 0,
      failed: 0,
      refused: 0,
      kktErrors: 0,
      held: false,
      bytesSent: 0,
      bytesReceived: 0,
      durationMs: 0,
    };
    try {
      if (!this.hostMode) {
        if (await this.o.port.ensureHostMode())
          this.o.log.info('FN relay: the KKT now leaves its OFD exchange to the station (table 21)');
        this.hostMode = true;
      }
      while (r.delivered < MAX_DOCUMENTS_PER_RUN) {
        if (this.breaker.state === 'OPEN') {
          r.held = (await this.o.port.bufferStatus()).size > 0;
          break;
        }
        const message = await this.readMessage();
        if (!message) break;
        let answer: Buffer | 'rejected';
        try {
          const signal = this.abort.signal;
          answer = await this.breaker.fire(() =>
            this.exchange(this.o.server, message, this.o.timeoutMs, signal),
          );
        } catch (e) {
          if (this.abort.signal.aborted) break; // stopping: not the OFD's failure
          r.failed++;
          const server = formatOfdServer(this.o.server);
          this.noteError(
            (e as Error).message,
            (e instanceof OfdExchangeError ? e.why : null) ?? {
              code: 'ofd_unreachable',
              params: { server, error: null },
            },
          );
          break;
        }
        if (answer === 'rejected') {
          r.held = true;
          break;
        }
        r.bytesSent += message.length;
        r.bytesReceived += answer.length;
        try {
          await this.writeAnswer(answer);
        } catch (e) {
          if (e instanceof KktError && e.deviceCode === FN_REFUSED_ANSWER) {
            r.refused++;
            this.noteError(`the FN refused the OFD's answer (error 20h): ${e.message}`, {
              code: 'fn_refused_answer',
              params: { deviceMessage: e.fault.deviceMessage ?? null },
            });
            break;
          }
          throw e;
        }
        r.delivered++;
        this.lastExchangeAtMs = Date.now();
        this.lastError = null;
        this.lastErrorWhy = null;
      }
    } catch (e) {
      // The KKT did not answer, or refused a buffer command: nothing to do with the OFD.
      r.kktErrors++;
      const notConnected = e instanceof KktError && e.fault.reason === 'not_connected';
      if (notConnected) this.hostMode = null;
      this.noteError(
        `KKT: ${(e as Error).message}`,
        e instanceof TornMessageError
          ? e.why
          : notConnected
            ? { code: 'kkt_not_connected', params: {} }
            : {
                code: 'kkt_error',
                params: {
                  deviceCode: e instanceof KktError ? (e.deviceCode ?? null) : null,
                  deviceMessage: e instanceof KktError ? (e.fault.deviceMessage ?? null) : null,
                },
              },
      );
    }
    r.durationMs = Date.now() - started;
    this.record(r);
    return r;
  }

  /** The FN's whole message for the OFD, block by block; null when it has none. */
  private async readMessage(): Promise<Uint8Array | null> {
    const { size, blockSize } = await this.o.port.bufferStatus();
    if (size === 0) return null;
    const message = new Uint8Array(size);
    for (let offset = 0; offset < size; offset += blockSize) {
      const block = await this.o.port.readBlock(offset, Math.min(blockSize, size - offset));
      message.set(block, offset);
    }
    // The host reads nothing else of the message, but a torn read must not go to the OFD.
    let announced: number | null;
    try {
      announced = sessionMessageLength(message);
    } catch {
      announced = null; // not even a session header: as torn as a short one
    }
    if (announced !== size) throw new TornMessageError(size, announced);
    return message;
  }

  private async writeAnswer(answer: Buffer): Promise<void> {
    const blockSize = await this.o.port.startWrite(answer.length);
    for (let offset = 0; offset < answer.length; offset += blockSize)
      await this.o.port.writeBlock(offset, answer.subarray(offset, offset + blockSize));
  }

  private noteError(message: string, why: FnRelayFailureWhy): void {
    this.lastError = message;
    this.lastErrorWhy = why;
    this.lastErrorAtMs = Date.now();
  }

  /** Totals, and one log line for a run that did something or failed (like the sync worker's). */
  private record(r: RelayRun): void {
    this.lastRunAtMs = Date.now();
    this.lastRun = r;
    this.totals.runs++;
    this.totals.delivered += r.delivered;
    this.totals.failed += r.failed;
    this.totals.refused += r.refused;
    this.totals.kktErrors += r.kktErrors;
    if (r.delivered > 0) this.o.onDelivered?.(r.delivered);
    if (r.delivered + r.failed + r.refused + r.kktErrors === 0) return;
    const line =
      `FN relay run: ${r.delivered} delivered, ${r.failed} failed, ${r.refused} refused by the FN, ` +
      `${r.kktErrors} KKT errors; ${r.bytesSent} bytes out, ${r.bytesReceived} in, ${r.durationMs} ms` +
      (r.failed + r.refused + r.kktErrors > 0 ? `; last error: ${this.lastError ?? 'unknown'}` : '');
    if (r.failed + r.refused + r.kktErrors > 0) this.o.log.warn(line);
    else this.o.log.info(line);
  }
}

/** The FN's message read back with another length than its header says: a torn read, never sent. */
class TornMessageError extends Error {
  readonly why: FnRelayFailureWhy;
  constructor(size: number, announced: number | null) {
    super(
      `the FN's message for the OFD is torn: ${size} bytes read, ${announced === null ? 'no session header' : `its header says ${announced}`}`,
    );
    this.why = { code: 'fn_message_torn', params: { size, announced } };
  }
}

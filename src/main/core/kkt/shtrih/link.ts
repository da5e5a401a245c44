// Host side of the Shtrih-M link layer (protocol v1.17 p.8–9, App. 2–3 p.72–73): ENQ/ACK/NAK handshake, framing,
// timeouts, retries and a single-flight mutex (never two commands in flight).
//
// The one rule that matters for money: a command frame the device has accepted is never sent again.
// "Accepted" means the device ACKed it, or an answer arrived (an ACK byte can be lost on the line).
// Its answer is collected through ENQ → ACK → answer frame; if that fails the caller gets
// KktError('outcome_unknown') and must reconcile with the fiscal archive. Only a frame the device
// did not take (NAK, or ENQ → NAK "idle, nothing pending") is sent again. The second case is not proof:
// a lost ACK plus a lost answer look the same. Item lines are counted on the device before FF45h
// (receipt-flow.ts); cash in/out asks the link not to resend and compares the drawer (`resendUnacked`).
//
// A lost line (issue #8): every write has a deadline (`writeTimeoutMs`: a serial port whose device
// went away may never call a write back), and the channel tells when the OS closed it (`onLost`).
// Either makes the link lost for good: the exchange in progress ends at once — 'refused'
// (reason not_connected) when its frame never went out, 'outcome_unknown' when it did or may have —
// and every later exchange is refused without touching the channel. A lost link is not revived; its
// owner opens a new one on the next operation (src/main/core/kkt/connect-on-demand.ts). A write that
// fails while sending the command frame counts as "may have been taken": some bytes may be on the
// wire, and only the fiscal archive can say.

import { KktError } from '../../../../shared/errors.ts';
import type { ByteChannel } from '../../../../shtrih-protocol/channel.ts';
import { Cmd, commandCodeOf, commandName } from '../../../../shtrih-protocol/codes.ts';
import { ACK, ENQ, FrameDecoder, NAK, STX, encodeFrame, hex } from '../../../../shtrih-protocol/frame.ts';

export interface LinkOptions {
  /** Wait for ACK/NAK after ENQ or after a frame (PHP: 1 s). */
  ctlTimeoutMs: number;
  /** Inter-byte timeout inside a frame (the KKT's own is 50 ms; we are lenient). */
  byteTimeoutMs: number;
  /** Attempts of the ENQ loop (vendor diagram: 10). */
  maxTries: number;
  /** Wait for the first byte of the answer after the device ACKed the command. */
  responseTimeoutMs: (code: number) => number;
  /** Deadline of one write to the channel; past it the line counts as lost (a frame is < 300 bytes). */
  writeTimeoutMs: number;
  log?: (line: string) => void;
}

/** The vendor's javapos defaults (PrinterCommand.getDefaultTimeout): long reports and shift opening can take minutes on a real printer. */
export function defaultResponseTimeoutMs(code: number): number {
  switch (code) {
    case Cmd.SHORT_STATUS:
    case Cmd.FULL_STATUS:
      return 3_000;
    case Cmd.X_REPORT:
      return 30_000;
    case Cmd.Z_REPORT:
      return 65_000;
    case Cmd.OPEN_SHIFT:
      return 120_000;
    case Cmd.CHECK_MARK:
    case Cmd.BIND_MARK:
      return 41_000; // the KKT asks the marking server: javapos's 40 s + 1 s
    default:
      return 30_000;
  }
}

export const DEFAULT_LINK_OPTIONS: LinkOptions = {
  ctlTimeoutMs: 1_000,
  byteTimeoutMs: 500,
  maxTries: 10,
  responseTimeoutMs: defaultResponseTimeoutMs,
  writeTimeoutMs: 2_000,
};

/** Per-exchange choices. */
export interface ExchangeOptions {
  /** Answer wait override (ms). */
  responseTimeoutMs?: number;
  /**
   * False: a frame that got no ACK is never sent again on the link's own judgement, even when ENQ then
   * finds the device idle. A lost ACK plus a lost answer look exactly like that, and a non-fiscal
   * command with an effect (cash in/out) would then run twice; the caller compares the device's
   * registers instead and decides (shtrih-kkt.ts cashInOut). Default true.
   */
  resendUnacked?: boolean;
}

type FrameRead =
  | { kind: 'frame'; payload: Buffer }
  | { kind: 'bad'; reason: string }
  | { kind: 'timeout'; partial: boolean };

export class ShtrihLink {
  private readonly opts: LinkOptions;
  private readonly rx: number[] = [];
  private rxHead = 0;
  private wake: (() => void) | null = null;
  private readonly unsubscribe: () => void;
  private readonly unsubscribeLost: () => void;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private lostReason: string | null = null;

  constructor(
    private readonly channel: ByteChannel,
    options: Partial<LinkOptions> = {},
  ) {
    this.opts = { ...DEFAULT_LINK_OPTIONS, ...options };
    this.unsubscribe = channel.onData((chunk) => {
      for (const b of chunk) this.rx.push(b);
      this.wake?.();
    });
    this.unsubscribeLost = channel.onLost?.((reason) => this.markLost(reason)) ?? (() => undefined);
  }

  /** Why the line to the device is gone for good (open a new link), or null while it works. */
  get lost(): string | null {
    return this.lostReason;
  }

  get label(): string {
    return this.channel.label;
  }

  /**
   * Sends one command payload and returns the answer payload (code, ERR, data). Calls are serialised.
   * Throws KktError('refused') when the device never took the command, KktError('outcome_unknown')
   * when it took it but the answer could not be collected.
   */
  exchange(payload: Uint8Array, options: ExchangeOptions = {}): Promise<Buffer> {
    const run = this.queue.then(() => this.exchangeOnce(payload, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    this.unsubscribeLost();
    this.wake?.();
    await this.channel.close();
  }

  private markLost(reason: string): void {
    if (this.lostReason !== null || this.closed) return;
    this.lostReason = reason;
    this.log(`line lost: ${reason}`);
    this.wake?.();
  }

  /** Hands bytes to the channel within the write deadline; false (and the link lost) when it cannot. */
  private async send(bytes: Uint8Array): Promise<boolean> {
    if (this.lostReason !== null || this.closed) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.channel.write(bytes),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`запись в порт не завершилась за ${this.opts.writeTimeoutMs} мс`)),
            this.opts.writeTimeoutMs,
          );
        }),
      ]);
      return true;
    } catch (err) {
      this.markLost((err as Error).message);
      if (!this.closed) void this.channel.close().catch(() => undefined); // a jammed port: release it
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private lostError(name: string, mayHaveTaken: boolean): KktError {
    return mayHaveTaken
      ? new KktError(
          'outcome_unknown',
          `Связь с ККТ потеряна (${this.lostReason ?? 'порт закрыт'}) после отправки команды ${name}: результат неизвестен, сверьте с архивом ФН`,
        )
      : new KktError(
          'refused',
          `Связь с ККТ потеряна (${this.channel.label}: ${this.lostReason ?? 'порт закрыт'}): проверьте питание и кабель ККТ; станция переподключится сама`,
          { reason: 'not_connected' },
        );
  }

  private async exchangeOnce(payload: Uint8Array, options: ExchangeOptions): Promise<Buffer> {
    if (this.closed) throw new KktError('refused', 'Соединение с ККТ закрыто', { reason: 'not_connected' });
    if (this.lostReason !== null) throw this.lostError(commandName(commandCodeOf(payload)), false);
    const code = commandCodeOf(payload);
    const name = commandName(code);
    const tResp = options.responseTimeoutMs ?? this.opts.responseTimeoutMs(code);
    const frame = encodeFrame(payload);
    const { ctlTimeoutMs, maxTries } = this.opts;
    let sent = false; // the frame went out at least once
    let accepted = false; // the device ACKed it or answered it: never send it again
    let maybeAccepted = false; // the frame got no reply at all: it may have been taken
    let heardDevice = false;

    for (let attempt = 1; attempt <= maxTries && !this.closed && this.lostReason === null; attempt++) {
      await this.drainInput(attempt > 1);
      if (!(await this.send(Uint8Array.of(ENQ)))) break;
      const reply = await this.readControl(ctlTimeoutMs);
      if (reply === null) {
        this.log(`${name}: no reply to ENQ (attempt ${attempt}/${maxTries})`);
        continue;
      }
      heardDevice = true;

      if (reply === ACK || reply === STX) {
        // The device holds an answer that was not delivered yet.
        const res = await this.readFrame(reply === STX, sent ? tResp : ctlTimeoutMs * 5);
        if (res.kind === 'frame') {
          await this.send(Uint8Array.of(ACK)); // the answer is ours even if its ACK cannot go out
          if (sent && answerBelongsTo(payload, res.payload)) return res.payload;
          this.log(`${name}: discarded a stale answer ${hex(res.payload.subarray(0, 3))}`);
          continue;
        }
        if (res.kind === 'bad') {
          this.log(`${name}: ${res.reason}, NAK`);
          await this.send(Uint8Array.of(NAK));
        } else {
          this.log(`${name}: answer did not arrive after ENQ/ACK`);
        }
        continue;
      }

      // NAK: the device is idle and holds no answer.
      if (accepted) {
        throw new KktError(
          'outcome_unknown',
          `ККТ приняла команду ${name}, но ответ потерян: результат неизвестен, сверьте с архивом ФН`,
        );
      }
      if (maybeAccepted && options.resendUnacked === false) {
        throw new KktError(
          'outcome_unknown',
          `ККТ могла выполнить команду ${name} (нет подтверждения, ответа нет): результат неизвестен, сверьте регистры ККТ`,
        );
      }
      maybeAccepted = false; // idle with nothing pending: taken as "our earlier frame was not executed"

      sent = true;
      if (!(await this.send(frame))) {
        maybeAccepted = true; // some of its bytes may be on the wire
        break;
      }
      const ack = await this.readControl(ctlTimeoutMs);
      if (ack === NAK) {
        this.log(`${name}: frame NAKed (attempt ${attempt})`);
        continue;
      }
      if (ack === null) {
        // Either the frame was lost or only its ACK was. The next ENQ tells which.
        maybeAccepted = true;
        this.log(`${name}: no ACK for the frame (attempt ${attempt})`);
        continue;
      }
      accepted = true;
      const res = await this.readFrame(ack === STX, tResp);
      if (res.kind === 'frame') {
        await this.send(Uint8Array.of(ACK)); // the answer is ours even if its ACK cannot go out
        if (answerBelongsTo(payload, res.payload)) return res.payload;
        this.log(`${name}: answer for another command ${hex(res.payload.subarray(0, 3))}`);
        continue;
      }
      if (res.kind === 'bad') {
        this.log(`${name}: ${res.reason}, NAK`);
        await this.send(Uint8Array.of(NAK));
      } else {
        this.log(`${name}: no answer within ${tResp} ms, asking again with ENQ`);
      }
    }

    if (this.lostReason !== null && !this.closed) throw this.lostError(name, accepted || maybeAccepted);
    if (accepted || maybeAccepted) {
      throw new KktError(
        'outcome_unknown',
        `ККТ ${accepted ? 'приняла' : 'могла принять'} команду ${name}, но ответ не получен: результат неизвестен, сверьте с архивом ФН`,
      );
    }
    if (!heardDevice) {
      throw new KktError(
        'refused',
        `ККТ не отвечает (${this.channel.label}): проверьте питание, кабель и порт`,
        { reason: 'not_connected' },
      );
    }
    throw new KktError(
      'refused',
      `ККТ не приняла команду ${name} после ${maxTries} попыток: помехи на линии связи`,
    );
  }

  /** Before the first ENQ drop stale bytes at once; before a retry wait for the line to go quiet. */
  private async drainInput(waitForQuiet: boolean): Promise<void> {
    this.discardRx();
    if (!waitForQuiet) return;
    const quietMs = Math.min(50, this.opts.byteTimeoutMs);
    while ((await this.readByte(quietMs)) !== null) this.discardRx();
  }

  /** Next ACK, NAK or STX; everything else (0xFF after ACK over TCP, noise) is skipped. */
  private async readControl(timeoutMs: number): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const b = this.takeBuffered() ?? (await this.readByte(deadline - Date.now()));
      if (b === null) return null;
      if (b === ACK || b === NAK || b === STX) return b;
    }
  }

  private async readFrame(stxSeen: boolean, firstByteTimeoutMs: number): Promise<FrameRead> {
    const decoder = new FrameDecoder();
    if (stxSeen) decoder.push(STX);
    const firstDeadline = Date.now() + firstByteTimeoutMs;
    for (;;) {
      // Bytes already received are taken without waiting: a frame of 50 bytes is one wait, not 50.
      const b =
        this.takeBuffered() ??
        (await this.readByte(decoder.inFrame ? this.opts.byteTimeoutMs : firstDeadline - Date.now()));
      if (b === null) return { kind: 'timeout', partial: decoder.inFrame };
      const ev = decoder.push(b);
      if (!ev) continue;
      switch (ev.type) {
        case 'frame':
          return { kind: 'frame', payload: ev.payload };
        case 'bad_lrc':
          return { kind: 'bad', reason: `bad LRC (expected ${hex([ev.expected])}, got ${hex([ev.got])})` };
        case 'bad_length':
          return { kind: 'bad', reason: 'frame with LEN = 0' };
        default:
          continue; // control bytes or noise before STX
      }
    }
  }

  /** The next byte already received, or null when there is none yet. */
  private takeBuffered(): number | null {
    if (this.rxHead >= this.rx.length) return null;
    const b = this.rx[this.rxHead++]!;
    if (this.rxHead > 4096) this.discardConsumed();
    return b;
  }

  /** The next byte, waiting for it at most `timeoutMs`; null when none came. */
  private async readByte(timeoutMs: number): Promise<number | null> {
    const deadline = Date.now() + Math.max(0, timeoutMs);
    for (;;) {
      const b = this.takeBuffered();
      if (b !== null) return b;
      const left = deadline - Date.now();
      if (left <= 0 || this.closed || this.lostReason !== null) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  private discardRx(): void {
    this.rx.length = 0;
    this.rxHead = 0;
  }

  private discardConsumed(): void {
    this.rx.splice(0, this.rxHead);
    this.rxHead = 0;
  }

  private log(line: string): void {
    this.opts.log?.(`[kkt-link ${this.channel.label}] ${line}`);
  }
}

/** An answer starts with our command code (FF-commands: FF sub, or the 2-byte FF ERR error form). */
function answerBelongsTo(request: Uint8Array, answer: Uint8Array): boolean {
  if (request[0] !== 0xff) return answer[0] === request[0];
  return answer[0] === 0xff && (answer[1] === request[1] || answer.length === 2);
}

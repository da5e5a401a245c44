// Device side of the Shtrih-M link layer (protocol v1.17 p.8–9, App. 2 p.72): frames in, ACK/NAK,
// and the one pending answer. The device is a slave: it answers ENQ with NAK when idle and with ACK
// followed by the answer when it holds one; a command frame is ACKed, executed, and its answer kept
// until the host ACKs it, so an answer the host missed is sent again on the next ENQ.
//
// Inter-byte timeout 500 ms and answer-ACK timeout 1 s are the emulator's choices (the KKT's own
// per-byte timeout is 50 ms; the host is lenient too). The inter-byte timeout is one timer per frame
// that checks the time of the last byte when it fires, not a timer restarted at every byte: that cost a
// setTimeout and a clearTimeout per byte, about 800 per one-line sale, in the profile of a sale.

import type { ByteChannel } from '../shtrih-protocol/channel.ts';
import { commandCodeOf } from '../shtrih-protocol/codes.ts';
import { ACK, ENQ, FrameDecoder, NAK, encodeFrame } from '../shtrih-protocol/frame.ts';
import type { FaultInjector } from './faults.ts';

export interface DeviceLinkOptions {
  interByteTimeoutMs: number;
  answerAckTimeoutMs: number;
  /** Executes a command payload and returns the answer payload. It must not throw. */
  execute: (payload: Buffer) => Buffer;
  faults: FaultInjector;
  log: (line: string) => void;
}

interface PendingAnswer {
  frame: Buffer;
  /** Send it once with a broken LRC (fault). */
  corruptOnce: boolean;
  /** False while the (simulated) processing delay runs. */
  ready: boolean;
  timer: NodeJS.Timeout | null;
}

export class DeviceLink {
  private readonly decoder = new FrameDecoder();
  private readonly unsubscribe: () => void;
  private interByteTimer: NodeJS.Timeout | null = null;
  /** When the last byte of a frame still being received arrived (performance.now(): a monotonic clock). */
  private lastByteAt = 0;
  private pending: PendingAnswer | null = null;
  private awaitingHostAck: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly channel: ByteChannel,
    private readonly opts: DeviceLinkOptions,
  ) {
    this.unsubscribe = channel.onData((chunk) => {
      const now = performance.now(); // the bytes of one chunk arrive together
      for (const b of chunk) this.onByte(b, now);
    });
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    if (this.interByteTimer) clearTimeout(this.interByteTimer);
    if (this.awaitingHostAck) clearTimeout(this.awaitingHostAck);
    if (this.pending?.timer) clearTimeout(this.pending.timer);
    this.pending = null;
  }

  private onByte(byte: number, now: number): void {
    if (this.closed || this.opts.faults.silent) return;
    const ev = this.decoder.push(byte);
    if (this.decoder.inFrame) {
      this.lastByteAt = now;
      if (!this.interByteTimer) this.armInterByteTimer(this.opts.interByteTimeoutMs);
    }
    if (!ev) return;
    this.stopInterByteTimer();
    switch (ev.type) {
      case 'control':
        if (ev.byte === ENQ) this.onEnq();
        else if (ev.byte === ACK) this.onHostAck();
        else if (ev.byte === NAK) this.onHostNak();
        return;
      case 'bad_lrc':
        this.opts.log(`frame with bad LRC → NAK`);
        this.send(Uint8Array.of(NAK));
        return;
      case 'bad_length':
        this.send(Uint8Array.of(NAK));
        return;
      case 'frame':
        this.onFrame(ev.payload);
        return;
      case 'noise':
        return; // 0xFF and line noise are ignored
    }
  }

  /** Fires `delayMs` from now: drops the frame if no byte came for the timeout, else waits the rest of it. */
  private armInterByteTimer(delayMs: number): void {
    this.interByteTimer = setTimeout(() => {
      this.interByteTimer = null;
      if (!this.decoder.inFrame) return;
      const quietMs = performance.now() - this.lastByteAt;
      if (quietMs < this.opts.interByteTimeoutMs) {
        this.armInterByteTimer(this.opts.interByteTimeoutMs - quietMs);
        return;
      }
      this.opts.log('inter-byte timeout: frame dropped');
      this.decoder.reset();
    }, delayMs);
  }

  private stopInterByteTimer(): void {
    if (this.interByteTimer) clearTimeout(this.interByteTimer);
    this.interByteTimer = null;
  }

  private onEnq(): void {
    if (!this.pending) {
      this.send(Uint8Array.of(NAK));
      return;
    }
    // "ACK: preparing or holding an answer". A ready answer follows at once; one still being
    // processed goes out when its timer fires.
    this.send(Uint8Array.of(ACK));
    if (this.pending.ready) this.transmitPending();
  }

  private onHostAck(): void {
    if (!this.awaitingHostAck) return;
    clearTimeout(this.awaitingHostAck);
    this.awaitingHostAck = null;
    this.pending = null; // delivered
  }

  private onHostNak(): void {
    // The host got a damaged answer. Keep it: the host asks again with ENQ (p.8, step 4).
    if (this.awaitingHostAck) clearTimeout(this.awaitingHostAck);
    this.awaitingHostAck = null;
  }

  private onFrame(payload: Buffer): void {
    const code = commandCodeOf(payload);
    const faults = this.opts.faults;
    if (faults.take('dropFrame', code)) return; // never arrived: no ACK, not executed
    if (!faults.take('dropAck', code)) this.send(Uint8Array.of(ACK));
    const answer = this.opts.execute(payload);
    if (this.pending?.timer) clearTimeout(this.pending.timer);
    if (faults.take('lose', code)) {
      this.pending = null;
      return;
    }
    const pending: PendingAnswer = {
      frame: encodeFrame(answer),
      corruptOnce: faults.take('corrupt', code) !== null,
      ready: false,
      timer: null,
    };
    this.pending = pending;
    const delay = faults.take('delay', code)?.value ?? 0;
    const release = () => {
      pending.timer = null;
      pending.ready = true;
      if (this.pending === pending && !this.closed) this.transmitPending();
    };
    if (delay > 0) pending.timer = setTimeout(release, delay);
    else release();
  }

  private transmitPending(): void {
    const p = this.pending;
    if (!p) return;
    let frame = p.frame;
    if (p.corruptOnce) {
      p.corruptOnce = false;
      frame = Buffer.from(frame);
      frame[frame.length - 1] = frame[frame.length - 1]! ^ 0x5a;
    }
    this.send(frame);
    if (this.awaitingHostAck) clearTimeout(this.awaitingHostAck);
    this.awaitingHostAck = setTimeout(() => {
      this.awaitingHostAck = null; // no ACK from the host: keep the answer for the next ENQ
    }, this.opts.answerAckTimeoutMs);
  }

  private send(bytes: Uint8Array): void {
    if (this.closed) return;
    const garbage = this.opts.faults.takeGarbage();
    if (garbage) void this.channel.write(Uint8Array.from(garbage)).catch(() => undefined);
    void this.channel
      .write(bytes)
      .catch((err: unknown) => this.opts.log(`write failed: ${(err as Error).message}`));
  }
}

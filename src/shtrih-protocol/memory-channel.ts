// Two connected in-memory channels, for the in-process emulator and unit tests. Delivery is
// asynchronous, as with a real port, so neither side can rely on re-entrancy: what one end writes
// reaches the other after the writer's synchronous code, in the order written.
//
// Most deliveries go as microtasks, a few as macrotasks (setImmediate). A macrotask per write cost a
// turn of the event loop each (an epoll_wait syscall and the timers' check), about 36 turns a one-line
// sale on the in-process emulator: a third of its time there (`npm run bench`, «the KKT alone»). Never
// yielding, on the other hand, would run a whole print in one turn: requests that arrive meanwhile would
// wait unseen, never queue for the KKT as they do on a real port (tests/crash-unprinted.test.ts kills the
// station with sales waiting their turn). So every YIELD_EVERY-th delivery of a pair goes as a macrotask.

import { DataListeners, type ByteChannel } from './channel.ts';

/** Deliveries a pair chains as microtasks before one goes through the event loop. */
const YIELD_EVERY = 16;

/** The pair's shared count of deliveries since the last one through the event loop. */
interface Pacing {
  chained: number;
}

export class MemoryChannel implements ByteChannel {
  private readonly listeners = new DataListeners();
  private peer: MemoryChannel | null = null;
  private closed = false;
  /** Written chunks on their way to the peer, in order; one scheduled flush delivers them all. */
  private readonly outbox: Uint8Array[] = [];
  private flushScheduled = false;
  /** Bytes this end has written: the bench uses it to measure the traffic on the "wire". */
  bytesWritten = 0;

  private constructor(
    readonly label: string,
    private readonly pacing: Pacing,
  ) {}

  /** A connected pair: what one end writes, the other receives. */
  static pair(labels: [string, string] = ['memory:host', 'memory:device']): [MemoryChannel, MemoryChannel] {
    const pacing: Pacing = { chained: 0 };
    const a = new MemoryChannel(labels[0], pacing);
    const b = new MemoryChannel(labels[1], pacing);
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new Error(`${this.label}: channel closed`);
    this.outbox.push(Uint8Array.from(bytes));
    this.bytesWritten += bytes.length;
    if (this.flushScheduled) return; // the pending flush takes this chunk too, after the earlier ones
    this.flushScheduled = true;
    if (++this.pacing.chained < YIELD_EVERY) queueMicrotask(() => this.flush());
    else {
      this.pacing.chained = 0;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const chunks = this.outbox.splice(0);
    const peer = this.peer;
    if (!peer) return;
    for (const chunk of chunks) if (!peer.closed) peer.listeners.emit(chunk);
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}

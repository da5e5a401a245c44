// Two connected in-memory channels, for the in-process emulator and unit tests. Delivery is
// asynchronous, as with a real port, so neither side can rely on re-entrancy: the bytes arrive in a
// microtask after the writer's synchronous code. Not the next macrotask: a receipt is some 50 hops
// (ENQ, NAK, frame, ACK, answer, ACK per command), and a turn of the event loop per hop was half of
// the in-memory round trip (bench/kkt.ts). A side waiting for bytes that do not come waits on a timer
// (the link's timeouts, a fault's delay), so a silent or faulty peer still lets the event loop turn; a
// healthy exchange runs through, which takes a fraction of a millisecond.

import { DataListeners, type ByteChannel } from './channel.ts';

export class MemoryChannel implements ByteChannel {
  private readonly listeners = new DataListeners();
  private peer: MemoryChannel | null = null;
  private closed = false;
  /** Bytes this end has written: the bench uses it to measure the traffic on the "wire". */
  bytesWritten = 0;

  private constructor(readonly label: string) {}

  /** A connected pair: what one end writes, the other receives. */
  static pair(labels: [string, string] = ['memory:host', 'memory:device']): [MemoryChannel, MemoryChannel] {
    const a = new MemoryChannel(labels[0]);
    const b = new MemoryChannel(labels[1]);
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new Error(`${this.label}: channel closed`);
    const copy = Uint8Array.from(bytes);
    this.bytesWritten += copy.length;
    const peer = this.peer;
    queueMicrotask(() => {
      if (peer && !peer.closed) peer.listeners.emit(copy);
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}

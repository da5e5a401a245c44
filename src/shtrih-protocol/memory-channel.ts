// Two connected in-memory channels, for the in-process emulator and unit tests. Delivery is
// asynchronous (next macrotask), as with a real port, so neither side can rely on re-entrancy.

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
    setImmediate(() => {
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

// The in-memory byte pipe of the in-process emulator (src/shtrih-protocol/memory-channel.ts): bytes
// arrive after the writer's synchronous code, in the order written, and a long exchange still lets the
// event loop run (requests that arrive meanwhile must queue for the KKT, as on a real port).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryChannel } from '../../src/shtrih-protocol/memory-channel.ts';

test('a write reaches the peer after the writer returns, never during it', async () => {
  const [host, device] = MemoryChannel.pair();
  const seen: number[] = [];
  device.onData((c) => seen.push(...c));
  void host.write(Uint8Array.of(1, 2));
  assert.deepEqual(seen, [], 'delivered synchronously: the writer would be re-entered');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, [1, 2]);
});

test('chunks arrive in the order written, across the deliveries that go through the event loop', async () => {
  const [host, device] = MemoryChannel.pair();
  const seen: number[] = [];
  device.onData((c) => seen.push(...c));
  const sent: number[] = [];
  // Writes spread over microtasks and macrotasks, so some land while a delivery is already scheduled.
  for (let i = 0; i < 200; i++) {
    sent.push(i);
    void host.write(Uint8Array.of(i));
    if (i % 3 === 0) await Promise.resolve();
    if (i % 7 === 0) await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(seen, sent);
});

test('a ping-pong exchange yields to the event loop: a callback queued meanwhile runs before it ends', async () => {
  const [host, device] = MemoryChannel.pair();
  // The device echoes every byte; the host answers each echo until 300 round trips are done.
  device.onData((c) => void device.write(c));
  let rounds = 0;
  let timerRanAt: number | null = null;
  const done = new Promise<void>((resolve) => {
    host.onData(() => {
      if (++rounds === 300) return resolve();
      void host.write(Uint8Array.of(0x05));
    });
  });
  setImmediate(() => (timerRanAt = rounds));
  void host.write(Uint8Array.of(0x05));
  await done;
  assert.ok(
    timerRanAt !== null && timerRanAt < 300,
    `the exchange starved the event loop (ran at ${timerRanAt})`,
  );
});

test('nothing reaches a closed end, and a closed end refuses to write', async () => {
  const [host, device] = MemoryChannel.pair();
  const seen: number[] = [];
  device.onData((c) => seen.push(...c));
  void host.write(Uint8Array.of(9));
  await device.close();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, []);
  await host.close();
  await assert.rejects(host.write(Uint8Array.of(1)), /channel closed/);
});

// The mock OFD's FN port (docs/ofd-mock.md «The FN port»): the TCP server a KKT, or a host relaying
// for it, sends the FN's messages to. Each connection carries one message: a 30-byte session header,
// then the container it announces. The mock checks the container's frame header (A5h, version 1,
// CRC16-CCITT-FALSE), reads the FN number and the FD number from it, and answers with an operator's
// confirmation signed with the emulator's published test key (HMAC-SHA256, standing in for the OFD's
// real signature), which the KKT emulator checks. Faults: refuse (stop listening), hang (read, never
// answer), garbage (a well-framed answer whose container is noise, which the FN refuses with 20h).
// It imports nothing from the station or the emulator: tests check the contract between them.

import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export const FN_PORT_MODES = ['up', 'refuse', 'hang', 'garbage'] as const;
export type FnPortMode = (typeof FN_PORT_MODES)[number];

/** The test key the KKT emulator checks 1078 with (src/kkt-emulator/fn-container.ts). */
export const TEST_OFD_KEY = 'cashier-station-emulator-ofd-key';

export interface FnMessageReceived {
  fn_number: string;
  fd_number: number;
  /** FFD document type from the container header (2 shift open, 3 receipt, 5 shift close…). */
  document_type: number;
  bytes: number;
  received_at: string;
}

export interface FnPortHealth {
  mode: FnPortMode;
  /** Faulty answers left before the mode goes back to up by itself (0 = until changed). */
  remaining: number;
  connections: number;
  /** Messages answered with a receipt. */
  receipts_sent: number;
  /** Messages that were not FN/OFD messages (answered by closing the connection). */
  bad_messages: number;
  injected_failures: number;
}

export interface FnPortMock {
  readonly port: number;
  readonly host: string;
  /** `count` > 0: only the next `count` connections meet the fault (hang, garbage). */
  setMode(mode: FnPortMode, count?: number): Promise<void>;
  health(): FnPortHealth;
  received(): FnMessageReceived[];
  reset(): Promise<void>;
  close(): Promise<void>;
}

const HEADER = 30;
const FRAME = 32;
const MAX_BODY = 32 * 1024;
const SIGNATURE = Buffer.from([0x2a, 0x08, 0x41, 0x0a]);
const DOC_OFD_RECEIPT = 7;

export async function startFnPortMock(opts: { port?: number; host?: string } = {}): Promise<FnPortMock> {
  const host = opts.host ?? '127.0.0.1';
  let mode: FnPortMode = 'up';
  let remaining = 0;
  const received: FnMessageReceived[] = [];
  const counters = { connections: 0, receipts_sent: 0, bad_messages: 0, injected_failures: 0 };
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = opts.port ?? 0;

  const listen = async () => {
    const s = createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  const unlisten = async () => {
    const s = server;
    server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  /** The fault this connection meets (used up when counted). */
  const takeFault = (): FnPortMode => {
    if (mode === 'up' || mode === 'refuse') return 'up';
    const m = mode;
    counters.injected_failures++;
    if (remaining > 0 && --remaining === 0) mode = 'up';
    return m;
  };

  function onConnection(socket: Socket): void {
    sockets.add(socket);
    counters.connections++;
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let done = false;
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < HEADER) return;
      if (!buf.subarray(0, 4).equals(SIGNATURE) || buf.readUInt16LE(24) > MAX_BODY) {
        done = true;
        counters.bad_messages++;
        socket.destroy();
        return;
      }
      const total = HEADER + buf.readUInt16LE(24);
      if (buf.length < total) return;
      done = true;
      const fault = takeFault();
      if (fault === 'hang') return; // read, never answered: close() cuts it
      const message = buf.subarray(0, total);
      const parsed = parseMessage(message);
      if (!parsed) {
        counters.bad_messages++;
        socket.destroy();
        return;
      }
      received.push({ ...parsed, bytes: total, received_at: new Date().toISOString() });
      const answer =
        fault === 'garbage'
          ? garbageAnswer(message)
          : receiptFor(message, parsed.fn_number, parsed.fd_number);
      if (fault !== 'garbage') counters.receipts_sent++;
      socket.end(answer);
    });
  }

  await listen();
  return {
    get port() {
      return port;
    },
    host,
    async setMode(next, count = 0) {
      if (!(FN_PORT_MODES as readonly string[]).includes(next))
        throw new Error(`mode must be one of ${FN_PORT_MODES.join(', ')}`);
      if (!Number.isInteger(count) || count < 0) throw new Error('count must be a whole number ≥ 0');
      mode = next;
      remaining = count;
      if (next === 'refuse') {
        await unlisten();
        for (const s of sockets) s.destroy();
      } else if (!server) await listen();
    },
    health: () => ({ mode, remaining, ...counters }),
    received: () => received.map((r) => ({ ...r })),
    async reset() {
      received.length = 0;
      Object.assign(counters, { connections: 0, receipts_sent: 0, bad_messages: 0, injected_failures: 0 });
      mode = 'up';
      remaining = 0;
      if (!server) await listen();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await unlisten();
    },
  };
}

/** FN number, FD number and document type from the container's frame header; null when it is not one. */
function parseMessage(m: Buffer): Omit<FnMessageReceived, 'bytes' | 'received_at'> | null {
  const c = m.subarray(HEADER);
  if (c.length < FRAME || c.readUInt16LE(0) !== c.length || c[4] !== 0xa5 || c[6] !== 1) return null;
  if (c.readUInt16LE(2) !== frameCrc(c)) return null;
  return {
    fn_number: c.subarray(9, 17).toString('hex'),
    fd_number: c.readUIntBE(17, 3),
    document_type: c[5]!,
  };
}

/** The operator's confirmation for one FD: 1012 time, 1040 FD, 1022 code 0, 1078 signature. */
function receiptFor(message: Buffer, fnNumber: string, fd: number): Buffer {
  const now = Math.floor(Date.now() / 1000);
  const sign = createHmac('sha256', TEST_OFD_KEY).update(`${fnNumber}:${fd}:${now}`).digest().subarray(0, 18);
  const fields = Buffer.concat([
    tlv(1012, u32(now)),
    tlv(1040, u32(fd)),
    tlv(1022, Buffer.from([0])),
    tlv(1078, sign),
  ]);
  const body = tlv(DOC_OFD_RECEIPT, fields);
  const c = Buffer.alloc(FRAME + body.length);
  c.writeUInt16LE(c.length, 0);
  c[4] = 0xa5;
  c[5] = DOC_OFD_RECEIPT;
  c[6] = 1;
  message.copy(c, 9, HEADER + 9, HEADER + 17); // the FN number, as the FN wrote it
  c.writeUIntBE(fd & 0xffffff, 17, 3);
  body.copy(c, FRAME);
  c.writeUInt16LE(frameCrc(c), 2);
  return Buffer.concat([answerHeader(message, c.length), c]);
}

/** A session header that frames `length` bytes of noise: the host relays it, the FN refuses it. */
function garbageAnswer(message: Buffer): Buffer {
  const noise = randomBytes(64);
  return Buffer.concat([answerHeader(message, noise.length), noise]);
}

/** The answer's session header: the message's own with the body length and flags 0x0014 (yandex/ofd mock). */
function answerHeader(message: Buffer, bodyLength: number): Buffer {
  const h = Buffer.from(message.subarray(0, HEADER));
  h.writeUInt16LE(bodyLength, 24);
  h.writeUInt16LE(0x0014, 26);
  h.writeUInt16LE(0, 28);
  return h;
}

function frameCrc(c: Buffer): number {
  const data = Buffer.concat([c.subarray(0, 2), c.subarray(4)]);
  let crc = 0xffff;
  for (const b of data) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function tlv(tag: number, value: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16LE(tag, 0);
  h.writeUInt16LE(value.length, 2);
  return Buffer.concat([h, value]);
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0, 0);
  return b;
}

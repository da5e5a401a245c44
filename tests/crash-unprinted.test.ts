// Orphaned receipts under kill -9 (issue #8 part 7). Clients ring sales without ever resending one whose
// request died in a kill, so every kill leaves orphans: receipts stored `accepted` (waiting in the print
// queue, or returned to `accepted` by the reconciliation) that nobody will ever send again. After the
// last restart, with a short unprintedTtlMs, nothing may stay stuck: each receipt is printed once (and
// synced) or voided with a journal entry, the KKT holds exactly the printed ones, a never-printed receipt
// is never counted as pending, and a late resend of a voided sale prints nothing.
//
// The sleeps pick WHEN the station is killed (the point of the test) and pace a client after a failed
// request; every outcome is waited for with waitFor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { startOfdMock } from '../src/ofd-mock/server.ts';
import { startHeadless, type HeadlessStation } from './helpers/headless.ts';
import { ConnectionError } from './helpers/http-client.ts';
import { readKktRecords } from './helpers/kkt-records.ts';
import { waitFor } from './helpers/wait.ts';

const TOKEN = 'crash-unprinted-token-0123456789';
const OFD_TOKEN = 'crash-unprinted-ofd-token';
const ROUNDS = Number(process.env.CRASH_ROUNDS) || 4;
const CLIENTS = 4;

interface ReceiptView {
  receipt_id: string;
  state: string;
  total_kop: number;
  fiscal_doc: { fiscal_doc_number: number } | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(
  'kill -9 with sales in flight: no orphan stays stuck, each receipt is printed once or voided',
  { timeout: 120_000 },
  async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'station-unprinted-'));
    let child: HeadlessStation | null = null;
    const ofd = await startOfdMock({ token: OFD_TOKEN });
    t.after(async () => {
      if (child?.alive()) await child.kill9();
      await ofd.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const env = (extra: Record<string, string> = {}) => ({
      STATION_OFD_URL: ofd.url,
      STATION_OFD_TOKEN: OFD_TOKEN,
      STATION_SYNC_INTERVAL_MS: '200',
      STATION_BUFFER_CAPACITY: '10000',
      ...extra,
    });
    const start = (extra?: Record<string, string>) =>
      startHeadless({ dataDir, token: TOKEN, env: env(extra), onSpawn: (s) => (child = s) });

    const body = (n: number) => ({
      pos_id: 'POS-ORPHAN',
      type: 'sale',
      items: [{ name: `Товар ${n}`, price: `${n}.00`, quantity: 1, total: `${n}.00`, vat_rate: '20' }],
      payments: [{ type: 'cash', amount: `${n}.00` }],
    });
    /** key → what the client learnt: the printed FD, or null when the request died in a kill. */
    const outcomes = new Map<string, { n: number; fd: number | null }>();
    const unexpected: string[] = [];
    let next = 1;

    for (let round = 1; round <= ROUNDS; round++) {
      const station = await start();
      let killed = false;
      let answered = 0;
      const target = 3 + Math.floor(Math.random() * 20);
      const clientLoop = async () => {
        while (!killed) {
          const n = next++;
          const key = randomUUID();
          try {
            const r = await station.client.createReceipt(key, body(n));
            if (r.status === 200) outcomes.set(key, { n, fd: r.body.fiscal_doc.fiscal_doc_number });
            else unexpected.push(`round ${round}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
            answered++;
          } catch (e) {
            if (!(e instanceof ConnectionError)) throw e;
            outcomes.set(key, { n, fd: null }); // never resent: an orphan if it was stored
            if (!killed) await sleep(20);
          }
        }
      };
      const clients = Array.from({ length: CLIENTS }, clientLoop);
      await waitFor('answers before the kill', () => answered >= target, { timeoutMs: 30_000 });
      await sleep(Math.floor(Math.random() * 15)); // land anywhere: a request waiting for the print queue
      killed = true;
      await station.kill9();
      await Promise.all(clients);
    }

    // --- the last start, with a 1 s TTL ----------------------------------------------------------------
    const station = await start({ STATION_UNPRINTED_TTL_MS: '1000' });
    const api = station.client;
    const list = async (): Promise<ReceiptView[]> => {
      const r = await api.call('GET', '/v1/kkt/receipts?limit=500');
      assert.equal(r.status, 200);
      return r.body.receipts as ReceiptView[];
    };
    const first = await api.call('GET', '/v1/kkt/buffer/status');
    const c = first.body.by_status as Record<string, number>;
    assert.equal(first.body.pending, c.printing! + c.printed!, 'pending counts only receipts for the OFD');
    assert.equal(first.body.unprinted, c.accepted! + c.print_failed!, 'unprinted: accepted + refused');
    assert.ok(
      first.body.unprinted + c.voided! > 0,
      `the kills left no orphan to test with: ${JSON.stringify(first.body)}`,
    );

    let last: unknown = null;
    const settled = () =>
      waitFor(
        'every orphan voided and every printed receipt synced',
        async () => {
          const st = await api.call('GET', '/v1/kkt/buffer/status');
          last = st.body;
          return st.body.unprinted === 0 && st.body.pending === 0;
        },
        { timeoutMs: 30_000, intervalMs: 100, detail: () => `${JSON.stringify(last)}\n${station.output()}` },
      );
    await settled();
    const stateOf = new Map((await list()).map((r) => [r.receipt_id, r.state]));

    // A late resend of every lost sale: a voided one is refused (409 receipt_voided) and printed never;
    // one printed before the kill answers its FD; one never stored (killed before the insert) prints now.
    const kktBefore = readKktRecords(dataDir).receipts.length;
    const lost = [...outcomes.values()].filter((o) => o.fd === null).length;
    let voidedResends = 0;
    let newPrints = 0;
    for (const [key, o] of outcomes) {
      if (o.fd !== null) continue;
      const r = await api.createReceipt(key, body(o.n));
      if (r.status === 409) {
        assert.equal(r.body.error, 'receipt_voided', JSON.stringify(r.body));
        assert.equal(stateOf.get(r.body.details.receipt_id), 'voided');
        voidedResends++;
      } else if (r.status === 200) {
        // Printed before the kill (the answer was lost), or never stored and printed now.
        const stored = stateOf.get(r.body.receipt_id);
        assert.ok(
          stored === undefined || stored === 'synced',
          `resend of ${key} answered a ${stored} receipt`,
        );
        outcomes.set(key, { n: o.n, fd: r.body.fiscal_doc.fiscal_doc_number });
        if (stored === undefined) newPrints++;
      } else assert.fail(`resend of ${key}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    }
    assert.equal(readKktRecords(dataDir).receipts.length, kktBefore + newPrints, 'a resend printed twice');
    await settled();
    const receipts = await list();
    const stop = await station.stop();
    assert.equal(stop.code, 0, `the station did not stop cleanly: ${station.output()}`);

    // --- the checks ------------------------------------------------------------------------------------
    assert.deepEqual(unexpected, []);
    const voided = receipts.filter((r) => r.state === 'voided');
    const printed = receipts.filter((r) => r.state !== 'voided');
    t.diagnostic(
      `${ROUNDS} kills, ${outcomes.size} sales, ${lost} lost in a kill, ` +
        `${voided.length} voided, ${voidedResends} late resends refused as voided, ${newPrints} never stored`,
    );
    for (const r of receipts) {
      assert.ok(r.state === 'synced' || r.state === 'voided', `receipt ${r.receipt_id} is stuck ${r.state}`);
      if (r.state === 'voided') assert.equal(r.fiscal_doc, null, `voided ${r.receipt_id} has an FD`);
      else assert.ok(r.fiscal_doc, `synced ${r.receipt_id} without an FD`);
    }
    assert.ok(voided.length > 0, 'the orphans were voided');
    assert.equal(voidedResends, voided.length, 'each voided receipt was a sale whose request died');
    // Each acknowledged sale kept its FD; the KKT holds exactly the printed receipts, each once.
    const fds = printed.map((r) => r.fiscal_doc!.fiscal_doc_number).sort((a, b) => a - b);
    assert.equal(new Set(fds).size, fds.length, 'two receipts share an FD');
    const kkt = readKktRecords(dataDir);
    assert.deepEqual(
      kkt.receipts.map((d) => d.fdNumber),
      fds,
      'the KKT archive and the station disagree',
    );
    const ackedFds = new Set([...outcomes.values()].map((o) => o.fd).filter((fd) => fd !== null));
    for (const fd of ackedFds) assert.ok(fds.includes(fd!), `acknowledged FD ${fd} is missing`);
    // One journal entry per voided receipt.
    const db = new Database(join(dataDir, 'buffer.sqlite'), { readonly: true });
    try {
      for (const r of voided) {
        const n = (
          db
            .prepare(`SELECT count(*) AS n FROM journal WHERE receipt_id = ? AND kind = 'receipt_voided'`)
            .get(r.receipt_id) as { n: number }
        ).n;
        assert.equal(n, 1, `receipt ${r.receipt_id}: ${n} void journal entries`);
      }
    } finally {
      db.close();
    }
  },
);

// The mock permit service beside the mock OFD (src/ofd-mock/permit.ts), over real HTTP: the answer
// shape the station reads, each switchable answer, the control endpoint's validation, and the
// station's PermitChecker against it (passed, refused, offline on down/slow/garbage/unset).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startOfdMock } from '../src/ofd-mock/server.ts';
import { PermitChecker } from '../src/main/core/fiscal/marking/permit-check.ts';
import { parseReceiptRequest } from '../src/main/core/fiscal/receipt-request.ts';
import { MarkRejectedError } from '../src/shared/errors.ts';
import { GS } from '../src/shared/marking-code.ts';
import type { Logger } from '../src/main/core/logger.ts';

const SHOES = `010464007801637221_X.g!8xnpuiFV${GS}91FFD0${GS}92dGVzdIzSWNqFlCZrv+e0GSXQd6Qnar28rNj+8v2D+j0=`;
const WATER = `0104600439931256215Nf9Mgx7Vb1YU${GS}93dGVz`;

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (m: string) => void lines.push(m);
  return { lines, debug: add, info: add, warn: add, error: add };
}

const draft = (...codes: string[]) =>
  parseReceiptRequest({
    pos_id: 'POS-1',
    type: 'sale',
    items: codes.map((c, i) => ({
      name: `Товар ${i}`,
      price: 10,
      quantity: 1,
      total: 10,
      vat: 'vat22',
      mark_code: c,
    })),
    payments: [{ type: 'cash', amount: 10 * codes.length }],
  });

async function check(url: string, body: unknown) {
  const res = await fetch(`${url}/permit/v1/codes/check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

test('the permit endpoint answers one verdict per code; reject switches them, per code or all', async (t) => {
  const mock = await startOfdMock();
  t.after(() => mock.close());
  const ok = JSON.parse((await check(mock.url, { codes: [SHOES, 'nonsense'] })).text);
  assert.equal(ok.code, 0);
  assert.match(ok.reqId, /^[0-9a-f-]{36}$/);
  assert.equal(typeof ok.reqTimestamp, 'number');
  assert.deepEqual(
    ok.codes.map((c: { found: boolean; sold: boolean }) => [c.found, c.sold]),
    [
      [true, false],
      [false, false],
    ],
  );

  const mode = await fetch(`${mock.url}/permit/v1/_test/mode`, {
    method: 'POST',
    body: JSON.stringify({ mode: 'reject', reason: 'blocked', codes: [WATER.replaceAll(GS, '{GS}')] }),
  });
  assert.equal(mode.status, 200);
  const mixed = JSON.parse((await check(mock.url, { codes: [SHOES, WATER] })).text);
  assert.deepEqual(
    mixed.codes.map((c: { isBlocked: boolean }) => c.isBlocked),
    [false, true],
  );
  assert.equal(mock.permit().calls.length, 2);
  const calls = (await (await fetch(`${mock.url}/permit/v1/_test/calls`)).json()) as { codes: string[] }[];
  assert.deepEqual(calls[1]!.codes, [SHOES, WATER]);

  for (const bad of [
    { mode: 'maybe' },
    { mode: 'reject', reason: 'x' },
    { mode: 'ok', extra: 1 },
    { mode: 'reject', codes: ['01x'] },
  ]) {
    const res = await fetch(`${mock.url}/permit/v1/_test/mode`, {
      method: 'POST',
      body: JSON.stringify(bad),
    });
    assert.equal(res.status, 400, JSON.stringify(bad));
  }
  assert.equal((await check(mock.url, { codes: [] })).status, 400);
  mock.reset();
  assert.equal(mock.permit().mode, 'ok');
  assert.equal(mock.permit().calls.length, 0);
});

test('PermitChecker: passed results carry reqId/time; each refusal reason becomes a mark_rejected', async (t) => {
  const mock = await startOfdMock();
  t.after(() => mock.close());
  const log = recordingLog();
  const checker = new PermitChecker({ url: `${mock.url}/permit/v1/codes/check`, timeoutMs: 2_000, log });
  const passed = await checker.check(draft(SHOES, WATER));
  const permits = passed.items.map((l) => l.mark?.permit);
  assert.equal(permits[0]?.status, 'passed');
  assert.equal(permits[1]?.status, 'passed');

  const reasons = {
    sold: /already sold/,
    not_found: /unknown to the marking system/,
    blocked: /blocked by a state authority \(sale blocked/,
    expired: /expired on 2000-01-01/,
    invalid: /not valid/,
    not_realizable: /not in circulation/,
  } as const;
  for (const [reason, words] of Object.entries(reasons)) {
    mock.setPermitMode({ mode: 'reject', reason: reason as keyof typeof reasons, codes: [WATER] });
    await assert.rejects(
      checker.check(draft(SHOES, WATER)),
      (e: unknown) =>
        e instanceof MarkRejectedError &&
        e.info.line === 1 &&
        e.info.rejectedBy === 'permit' &&
        words.test(e.info.reason) &&
        (e.details as { field: string }).field === 'items[1].mark_code',
      reason,
    );
  }
});

test('PermitChecker: down, slow, garbage or unset → the sale goes on, each line recorded not_done', async (t) => {
  const mock = await startOfdMock();
  t.after(() => mock.close());
  const log = recordingLog();
  const url = `${mock.url}/permit/v1/codes/check`;
  const fast = new PermitChecker({ url, timeoutMs: 300, log });
  const cases: [Parameters<typeof mock.setPermitMode>[0], RegExp][] = [
    [{ mode: 'down', status: 502 }, /HTTP 502/],
    [{ mode: 'ok', latency_ms: 2_000 }, /no answer within 300 ms/],
    [{ mode: 'garbage' }, /unreadable answer/],
  ];
  for (const [mode, why] of cases) {
    mock.setPermitMode(mode);
    const d = await fast.check(draft(SHOES));
    const p = d.items[0]!.mark!.permit!;
    assert.equal(p.status, 'not_done', JSON.stringify(mode));
    assert.match((p as { reason: string }).reason, why);
  }
  assert.equal(log.lines.filter((l) => /offline mode/.test(l)).length, 3);
  const unset = await new PermitChecker({ url: null, timeoutMs: 300, log }).check(draft(SHOES));
  assert.deepEqual(unset.items[0]!.mark!.permit, {
    status: 'not_done',
    reason: 'no permit service configured',
  });
  // A refund is not a sale: the permit service is not asked.
  mock.setPermitMode({ mode: 'reject' });
  const calls = mock.permit().calls.length;
  const refund = { ...draft(SHOES), type: 'refund' as const };
  assert.equal(await fast.check(refund), refund);
  assert.equal(mock.permit().calls.length, calls);
});

// The discount arithmetic (src/shared/discounts.ts), property-style: many random receipts with random
// line and receipt discounts; whatever is asked, what is accepted must print exactly — the KKT's own
// round(price × quantity) of every part gives its sum, the parts add up to the line, the lines to the
// total before less the discounts, nothing is negative or free. Seeded, so a failure repeats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allocateByWeight,
  exactPrice,
  kktParts,
  kktSum,
  priceReceipt,
  parsePercent,
  formatPercent,
  type Discount,
  type DiscountLineInput,
} from '../src/shared/discounts.ts';
import { lineTotalKop } from '../src/shared/money.ts';

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return { next, int };
}

test('largest remainder: shares add up exactly, stay proportional within a kopeck', () => {
  const r = random(1);
  for (let n = 0; n < 2000; n++) {
    const weights = Array.from({ length: r.int(1, 12) }, () => r.int(1, 500_000));
    const total = weights.reduce((s, w) => s + w, 0);
    const amount = r.int(0, total);
    const shares = allocateByWeight(amount, weights);
    assert.equal(
      shares.reduce((s, v) => s + v, 0),
      amount,
    );
    for (const [i, s] of shares.entries()) {
      const exact = (amount * weights[i]!) / total;
      assert.ok(s >= Math.floor(exact) && s <= Math.ceil(exact), `share ${s} vs ${exact}`);
      assert.ok(s <= weights[i]!);
    }
  }
  assert.deepEqual(allocateByWeight(1, [1, 1, 1]), [1, 0, 0], 'a tie goes to the earlier line');
  assert.deepEqual(allocateByWeight(100, [1, 2]), [33, 67]);
});

test('an exact price exists for every sum of a quantity up to one unit', () => {
  const r = random(2);
  for (let n = 0; n < 5000; n++) {
    const q = r.int(1, 1000);
    const sum = r.int(1, 10_000_000);
    const p = exactPrice(sum, q);
    assert.ok(p !== null, `no price for ${sum} at ${q}`);
    assert.equal(kktSum(p, q), sum);
  }
});

test('3 × 33.33 is not 100.00: the line is split into exact parts', () => {
  const parts = kktParts(10_000, 3000);
  assert.deepEqual(parts, [
    { priceKop: 3334, quantityMilli: 1000, totalKop: 3334 },
    { priceKop: 3333, quantityMilli: 2000, totalKop: 6666 },
  ]);
  // 12 for 100.11: not 11 at 8.34 and one at 8.37, but 3 at 8.35 and 9 at 8.34.
  assert.deepEqual(kktParts(10_011, 12_000), [
    { priceKop: 835, quantityMilli: 3000, totalKop: 2505 },
    { priceKop: 834, quantityMilli: 9000, totalKop: 7506 },
  ]);
  assert.deepEqual(kktParts(9000, 3000), [{ priceKop: 3000, quantityMilli: 3000, totalKop: 9000 }]);
});

function randomDiscount(r: ReturnType<typeof random>, sumKop: number): Discount | undefined {
  const pick = r.next();
  if (pick < 0.3) return undefined;
  if (pick < 0.65) return { percentHundredths: r.int(1, 9_999) };
  return { amountKop: r.int(1, Math.max(1, sumKop - 1)) };
}

test('random receipts: what is accepted sums to the kopeck and every part prints exactly', () => {
  const r = random(3);
  let accepted = 0;
  let split = 0;
  for (let n = 0; n < 3000; n++) {
    const lines: DiscountLineInput[] = Array.from({ length: r.int(1, 8) }, () => {
      const weighed = r.next() < 0.3;
      const quantityMilli = weighed ? r.int(1, 5000) : 1000 * r.int(1, 12);
      const priceKop = r.int(1, 500_000);
      const totalKop = lineTotalKop(priceKop, quantityMilli);
      return { priceKop, quantityMilli, totalKop, discount: randomDiscount(r, totalKop) };
    });
    if (lines.some((l) => l.totalKop === 0)) continue;
    const before = lines.reduce((s, l) => s + l.totalKop, 0);
    const priced = priceReceipt(lines, randomDiscount(r, before));
    if (priced.problems.length) continue;
    accepted++;
    assert.equal(priced.beforeKop, before);
    assert.equal(priced.totalKop, before - priced.discountKop);
    let printed = 0;
    for (const [i, line] of priced.lines.entries()) {
      assert.equal(line.afterKop, line.beforeKop - line.lineDiscountKop - line.receiptShareKop);
      assert.ok(line.afterKop > 0 && line.lineDiscountKop >= 0 && line.receiptShareKop >= 0);
      assert.ok(line.parts.length === 1 || line.parts.length === 2);
      if (line.parts.length === 2) split++;
      const qty = line.parts.reduce((s, p) => s + p.quantityMilli, 0);
      assert.equal(qty, lines[i]!.quantityMilli, 'the parts sell the line quantity');
      let partsSum = 0;
      let partsDiscount = 0;
      for (const p of line.parts) {
        assert.ok(p.priceKop >= 1 && p.totalKop >= 1 && p.discountKop >= 0);
        assert.equal(kktSum(p.priceKop, p.quantityMilli), p.totalKop, 'the KKT computes this sum');
        assert.equal(p.priceBeforeKop, lines[i]!.priceKop);
        if (lines[i]!.quantityMilli % 1000 === 0)
          assert.ok(p.priceKop <= p.priceBeforeKop, 'no unit costs more than before the discount');
        partsSum += p.totalKop;
        partsDiscount += p.discountKop;
      }
      assert.equal(partsSum, line.afterKop);
      assert.equal(partsDiscount, line.beforeKop - line.afterKop);
      printed += partsSum;
    }
    assert.equal(printed, priced.totalKop, 'the KKT total equals the discounted total');
  }
  assert.ok(accepted > 2000, `only ${accepted} random receipts were accepted`);
  assert.ok(split > 50, `only ${split} lines needed a split`);
});

test('refusals: 100 % or more, the whole sum or more, a part under a kopeck', () => {
  const line = { priceKop: 1000, quantityMilli: 1000, totalKop: 1000 };
  const kinds = (lines: DiscountLineInput[], d?: Discount) =>
    priceReceipt(lines, d).problems.map((p) => p.kind);
  assert.deepEqual(kinds([{ ...line, discount: { percentHundredths: 10_000 } }]), ['percent_100_or_more']);
  assert.deepEqual(kinds([{ ...line, discount: { percentHundredths: 12_000 } }]), ['percent_100_or_more']);
  assert.deepEqual(kinds([{ ...line, discount: { amountKop: 1000 } }]), ['amount_not_below_sum']);
  assert.deepEqual(kinds([line], { amountKop: 1500 }), ['amount_not_below_sum']);
  assert.deepEqual(kinds([line], { amountKop: 0 }), ['amount_not_positive']);
  // 10 pieces for 0.05 ₽ cannot be priced at 0.01 ₽ or more each.
  const cheap = { priceKop: 10, quantityMilli: 10_000, totalKop: 100 };
  assert.deepEqual(kinds([{ ...cheap, discount: { amountKop: 95 } }]), ['price_under_kopeck']);
  assert.deepEqual(priceReceipt([{ ...line, discount: { percentHundredths: 1000 } }]).totalKop, 900);
});

test('a receipt discount on top of a line discount', () => {
  const priced = priceReceipt(
    [
      { priceKop: 10_000, quantityMilli: 1000, totalKop: 10_000, discount: { percentHundredths: 1000 } },
      { priceKop: 3333, quantityMilli: 3000, totalKop: 9999 },
    ],
    { amountKop: 1000 },
  );
  assert.deepEqual(priced.problems, []);
  assert.equal(priced.beforeKop, 19_999);
  assert.equal(priced.lines[0]!.lineDiscountKop, 1000);
  // 1000 over 9000 and 9999: 473.6… and 526.3… → 474 + 526.
  assert.deepEqual(
    priced.lines.map((l) => l.receiptShareKop),
    [474, 526],
  );
  assert.equal(priced.totalKop, 17_999);
});

test('per cent text', () => {
  assert.equal(parsePercent('12.5'), 1250);
  assert.equal(parsePercent('7,25'), 725);
  assert.equal(parsePercent(10), 1000);
  assert.equal(parsePercent('1.234'), null);
  assert.equal(parsePercent('-5'), null);
  assert.equal(formatPercent(1250), '12.5');
  assert.equal(formatPercent(725), '7.25');
  assert.equal(formatPercent(1000), '10');
});

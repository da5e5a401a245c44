// Catalogue bench: 100,000 items (the size of a big grocery's catalogue) imported from a CSV file, then
// barcode lookups (the till's scan, scan.ts) and name searches (the search dialog and the ERP's GET)
// against the limits: import ≤ 10 s, a barcode ≤ 1 ms, a name search ≤ 50 ms. Each figure is
// the median, p99 and worst of many calls, on a real SQLite file with the station's durable settings.
// Run alone with `tsx bench/catalog.ts`; BENCH_CATALOG_ITEMS changes the size.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/main/core/buffer/database.ts';
import { HybridClock } from '../src/main/core/buffer/hlc.ts';
import { Journal } from '../src/main/core/buffer/journal.ts';
import { Catalog } from '../src/main/core/catalog/catalog.ts';
import { DEFAULT_WEIGHT, gtinCheckDigit } from '../src/shared/barcode.ts';

const GOODS = [
  'Молоко',
  'Кефир',
  'Хлеб',
  'Батон',
  'Сыр',
  'Масло',
  'Йогурт',
  'Сметана',
  'Творог',
  'Колбаса',
  'Сосиски',
  'Чай',
  'Кофе',
  'Сахар',
  'Соль',
  'Макароны',
  'Рис',
  'Гречка',
  'Печенье',
  'Шоколад',
  'Вода',
  'Сок',
  'Пиво',
  'Яблоки',
  'Бананы',
  'Картофель',
  'Морковь',
  'Лук',
  'Огурцы',
  'Помидоры',
];
const BRANDS = [
  'Простоквашино',
  'Домик в деревне',
  'Весёлый молочник',
  'Агуша',
  'Савушкин',
  'Макфа',
  'Увелка',
  'Мираторг',
  'Черкизово',
  'Бабаевский',
  'Алёнка',
  'Липтон',
  'Жокей',
  'Рузское',
  'Вкусвилл',
  'Ессентуки',
];
const KINDS = [
  'классический',
  'отборный',
  'деревенский',
  'с наполнителем',
  'обезжиренный',
  'пастеризованный',
  'нарезка',
  'в/у',
  'ГОСТ',
  'фермерский',
  'Premium',
  'эконом',
];

function ean13(n: number): string {
  const body = `46${String(n).padStart(10, '0')}`;
  return `${body}${gtinCheckDigit(body)}`;
}

function csv(n: number): Buffer {
  const rows = ['code,name,price,vat_rate,barcodes,unit,weighed,marked'];
  for (let i = 0; i < n; i++) {
    const name = `${GOODS[i % GOODS.length]} ${BRANDS[(i >> 3) % BRANDS.length]} ${KINDS[(i >> 5) % KINDS.length]} ${100 + (i % 900)} г арт.${i}`;
    const barcodes = i % 4 === 0 ? `${ean13(i)}|${ean13(n + i)}` : ean13(i);
    rows.push(`${i},"${name}",${(19 + (i % 2000) * 0.37).toFixed(2)},${i % 5 ? 10 : 22},${barcodes},шт,0,0`);
  }
  return Buffer.from(rows.join('\r\n'));
}

function stats(ms: number[]): { median: number; p99: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  return {
    median: s[Math.floor(s.length / 2)]!,
    p99: s[Math.floor(s.length * 0.99)]!,
    max: s[s.length - 1]!,
  };
}

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
const verdict = (ok: boolean) => (ok ? 'within the limit' : 'OVER THE LIMIT');

export async function benchCatalog(): Promise<string[]> {
  const n = Number(process.env.BENCH_CATALOG_ITEMS ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'bench-catalog-'));
  const db = openDatabase(join(dir, 'buffer.sqlite'));
  try {
    const catalog = new Catalog(db, new Journal(db, new HybridClock(db)), DEFAULT_WEIGHT);
    const file = csv(n);
    // Wall time, and the CPU time this process spent: on a shared machine the wall time grows with the
    // load average (the run prints it), the CPU time is what the import costs an idle till.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = catalog.importCsv(file, 'bench');
    const importMs = performance.now() - t0;
    const cpu1 = process.cpuUsage(cpu0);
    const importCpuMs = (cpu1.user + cpu1.system) / 1000;
    const t1 = performance.now();
    const again = catalog.importCsv(file, 'bench');
    const reimportMs = performance.now() - t1;

    const lookups: number[] = [];
    for (let k = 0; k < 20_000; k++) {
      const code = ean13(Math.floor(Math.random() * n));
      const s = performance.now();
      const found = catalog.scan(code);
      lookups.push(performance.now() - s);
      if (found.kind !== 'item') throw new Error(`barcode ${code} not found`);
    }
    const missing: number[] = [];
    for (let k = 0; k < 5_000; k++) {
      const s = performance.now();
      catalog.scan(ean13(10 * n + k));
      missing.push(performance.now() - s);
    }
    const queries = [
      'мол',
      'молоко',
      'Молоко простокв',
      'сыр савушкин классич',
      'ЧАЙ',
      'м',
      'арт.99',
      'ессентуки 150',
      'нет такого товара',
    ];
    const searches: number[] = [];
    const perQuery: string[] = [];
    for (const q of queries) {
      const times: number[] = [];
      let hits = 0;
      for (let k = 0; k < 50; k++) {
        const s = performance.now();
        hits = catalog.search(q, 20).length;
        times.push(performance.now() - s);
      }
      searches.push(...times);
      perQuery.push(
        `    «${q}»: ${hits} shown, median ${fmt(stats(times).median)}, worst ${fmt(stats(times).max)}`,
      );
    }
    const l = stats(lookups);
    const m = stats(missing);
    const q = stats(searches);
    return [
      `catalogue of ${n.toLocaleString('en')} items (${(file.length / 1e6).toFixed(1)} MB CSV, ${n / 4} items with two barcodes)`,
      `  import from CSV:      ${(importMs / 1000).toFixed(2)} s wall, ${(importCpuMs / 1000).toFixed(2)} s CPU (${r.inserted} new) — limit 10 s: ${verdict(importMs <= 10_000)} (wall), ${verdict(importCpuMs <= 10_000)} (CPU)`,
      `  import again (all updated): ${(reimportMs / 1000).toFixed(2)} s (${again.updated} updated)`,
      `  barcode lookup (scan): median ${fmt(l.median)}, p99 ${fmt(l.p99)}, worst ${fmt(l.max)} over ${lookups.length} — limit 1 ms: ${verdict(l.p99 <= 1)}`,
      `  unknown barcode:       median ${fmt(m.median)}, p99 ${fmt(m.p99)}, worst ${fmt(m.max)}`,
      `  name search (20 shown): median ${fmt(q.median)}, p99 ${fmt(q.p99)}, worst ${fmt(q.max)} over ${searches.length} — limit 50 ms: ${verdict(q.p99 <= 50)}`,
      ...perQuery,
    ];
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(
    [
      ...(await benchCatalog()),
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    ].join('\n'),
  );

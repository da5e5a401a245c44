// The catalogue in the buffer's SQLite file (migration 5): items by code, barcodes by their own primary
// key (a scan is one B-tree lookup), names in an FTS5 index (a search reads the index, never the table).
// A batch (a CSV file, one ERP call, the manager's form) is written in ONE transaction: all of it or
// nothing. Each batch is checked whole before the transaction starts (catalog-batch.ts), so the
// transaction itself only fails on a fault.
import type { Db } from '../buffer/database.ts';
import type { VatCode } from '../kkt/kkt.ts';
import type { CatalogItem } from './catalog-item.ts';

interface ItemRow {
  code: string;
  name: string;
  price_kop: number;
  vat: string;
  unit: number;
  weighed: number;
  marked: number;
  free_price: number;
  payment_subject: number;
  barcodes: string | null;
}

const ITEM_COLUMNS = `i.code, i.name, i.price_kop, i.vat, i.unit, i.weighed, i.marked, i.free_price, i.payment_subject,
  (SELECT group_concat(b.barcode, '|') FROM catalog_barcodes b WHERE b.code = i.code) AS barcodes`;

function fromRow(r: ItemRow): CatalogItem {
  return {
    code: r.code,
    name: r.name,
    priceKop: r.price_kop,
    vat: r.vat as VatCode,
    unit: r.unit,
    barcodes: r.barcodes ? r.barcodes.split('|').sort() : [],
    weighed: r.weighed === 1,
    marked: r.marked === 1,
    freePrice: r.free_price === 1,
    paymentSubject: r.payment_subject,
  };
}

export const SEARCH_LIMIT_MAX = 100;

/**
 * The FTS5 query for what a cashier typed: every word, as a prefix, in any case ("мол 3,2" finds
 * «Молоко 3,2 %»). Words are quoted, so no FTS5 syntax in the text can change the query. Null: no word.
 */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}]+/gu);
  if (!words) return null;
  return words
    .slice(0, 8)
    .map((w) => `"${w}"*`)
    .join(' AND ');
}

export class CatalogStore {
  private readonly byCodeStmt;
  private readonly byBarcodeStmt;
  private readonly searchStmt;
  private readonly upsertStmt;
  private readonly clearBarcodesStmt;
  private readonly putBarcodeStmt;
  private readonly deleteStmt;
  private readonly countStmt;
  private readonly firstStmt;

  constructor(private readonly db: Db) {
    this.byCodeStmt = db.prepare<[string], ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM catalog_items i WHERE i.code = ?`,
    );
    this.byBarcodeStmt = db.prepare<[string], ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM catalog_barcodes x JOIN catalog_items i ON i.code = x.code WHERE x.barcode = ?`,
    );
    // No ORDER BY rank: ranking reads every match ("м" matches half a shop), the LIMIT would not stop it.
    this.searchStmt = db.prepare<[string, number], ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM catalog_names n JOIN catalog_items i ON i.rowid = n.rowid
       WHERE catalog_names MATCH ? LIMIT ?`,
    );
    this.upsertStmt = db.prepare(
      `INSERT INTO catalog_items (code, name, price_kop, vat, unit, weighed, marked, free_price, payment_subject, updated_at)
       VALUES (@code, @name, @priceKop, @vat, @unit, @weighed, @marked, @freePrice, @paymentSubject, @at)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, price_kop = excluded.price_kop, vat = excluded.vat,
         unit = excluded.unit, weighed = excluded.weighed, marked = excluded.marked,
         free_price = excluded.free_price, payment_subject = excluded.payment_subject, updated_at = excluded.updated_at`,
    );
    this.clearBarcodesStmt = db.prepare(`DELETE FROM catalog_barcodes WHERE code = ?`);
    // A barcode that named another item now names this one: the newest word of the ERP wins.
    this.putBarcodeStmt = db.prepare(
      `INSERT INTO catalog_barcodes (barcode, code) VALUES (?, ?)
       ON CONFLICT (barcode) DO UPDATE SET code = excluded.code`,
    );
    this.deleteStmt = db.prepare(`DELETE FROM catalog_items WHERE code = ?`);
    this.countStmt = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM catalog_items`);
    this.firstStmt = db.prepare<[number], ItemRow>(
      `SELECT ${ITEM_COLUMNS} FROM catalog_items i ORDER BY i.code LIMIT ?`,
    );
  }

  get(code: string): CatalogItem | null {
    const r = this.byCodeStmt.get(code);
    return r ? fromRow(r) : null;
  }

  byBarcode(barcode: string): CatalogItem | null {
    const r = this.byBarcodeStmt.get(barcode);
    return r ? fromRow(r) : null;
  }

  /**
   * Items for what was typed: an exact code or barcode first, then names holding every word as a
   * prefix, at most `limit`. Nothing typed: the first items by code.
   */
  search(text: string, limit = 20): CatalogItem[] {
    const n = Math.max(1, Math.min(limit, SEARCH_LIMIT_MAX));
    const q = text.trim();
    if (!q) return this.firstStmt.all(n).map(fromRow);
    const out: CatalogItem[] = [];
    const seen = new Set<string>();
    const add = (item: CatalogItem | null) => {
      if (item && !seen.has(item.code) && out.length < n) {
        seen.add(item.code);
        out.push(item);
      }
    };
    add(this.get(q));
    add(this.byBarcode(q));
    const fts = ftsQuery(q);
    if (fts) for (const r of this.searchStmt.all(fts, n + out.length)) add(fromRow(r));
    return out;
  }

  /** Upserts a batch in one transaction; answers how many were new and how many replaced. */
  upsert(items: readonly CatalogItem[]): { inserted: number; updated: number } {
    const at = new Date().toISOString();
    let inserted = 0;
    this.db.transaction(() => {
      const before = this.count();
      for (const item of items) {
        this.upsertStmt.run({
          code: item.code,
          name: item.name,
          priceKop: item.priceKop,
          vat: item.vat,
          unit: item.unit,
          weighed: item.weighed ? 1 : 0,
          marked: item.marked ? 1 : 0,
          freePrice: item.freePrice ? 1 : 0,
          paymentSubject: item.paymentSubject,
          at,
        });
        this.clearBarcodesStmt.run(item.code);
        for (const b of item.barcodes) this.putBarcodeStmt.run(b, item.code);
      }
      inserted = this.count() - before;
    })();
    return { inserted, updated: items.length - inserted };
  }

  /** Deletes an item with its barcodes; false when there was none. */
  remove(code: string): boolean {
    return this.deleteStmt.run(code).changes > 0;
  }

  count(): number {
    return this.countStmt.get()!.n;
  }

  /** Every item in code order, for an export; read lazily so 100,000 items are not one array of rows. */
  *all(): Generator<CatalogItem> {
    const stmt = this.db.prepare<[], ItemRow>(`SELECT ${ITEM_COLUMNS} FROM catalog_items i ORDER BY i.code`);
    for (const r of stmt.iterate()) yield fromRow(r);
  }
}

// The catalogue as the station's hosts use it: batches checked whole then stored in one transaction
// (the ERP's upsert, a CSV file, the manager's form), a scan resolved to an item (scan.ts), searches,
// and the receipt lines a request names by code. Each change leaves one journal line saying who did it.
import type { Db } from '../buffer/database.ts';
import type { Journal } from '../buffer/journal.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import type { WeightLayout } from '../../../shared/barcode.ts';
import { checkBatch, type BatchEntry, type FieldNamer } from './catalog-batch.ts';
import { parseCatalogCsv, type CsvEncoding } from './catalog-csv.ts';
import type { CatalogItem } from './catalog-item.ts';
import { CatalogStore } from './catalog-store.ts';
import { QuickKeys } from './quick-keys.ts';
import { resolveScan, type ScanOutcome } from './scan.ts';

export interface UpsertResult {
  inserted: number;
  updated: number;
}

export class Catalog {
  readonly store: CatalogStore;
  /** The sale screen's buttons; an item deleted here leaves them too (migration 9's cascade). */
  readonly quickKeys: QuickKeys;

  constructor(
    db: Db,
    private readonly journal: Journal,
    private readonly weight: WeightLayout,
  ) {
    this.store = new CatalogStore(db);
    this.quickKeys = new QuickKeys(db, this.store, journal);
  }

  /** Checks every entry, then stores all of them or none; `by` names the source for the journal. */
  upsert(entries: readonly BatchEntry[], by: string, name?: FieldNamer): UpsertResult {
    return this.store_(checkBatch(entries, name), by);
  }

  /** Reads a CSV file (UTF-8 or Windows-1251) and stores all of its rows or none. */
  /** `by`: a code of shared/journal-by.ts or a name; `file` only names the source in the log line. */
  importCsv(
    bytes: Uint8Array,
    by: string,
    file?: string,
  ): UpsertResult & { encoding: CsvEncoding; rows: number } {
    const { items, encoding } = parseCatalogCsv(bytes);
    const source = `${file ? `file ${file}, ` : ''}CSV ${encoding}`;
    return { ...this.store_(items, by, source), encoding, rows: items.length };
  }

  private store_(items: CatalogItem[], by: string, source?: string): UpsertResult {
    const r = this.store.upsert(items);
    if (items.length)
      this.journal.append(
        'catalog_changed',
        `Catalogue: ${r.inserted} added, ${r.updated} updated (${by}${source ? `, ${source}` : ''})`,
        null,
        { inserted: r.inserted, updated: r.updated, by },
        'catalog_imported',
      );
    return r;
  }

  remove(code: string, by: string): void {
    if (!this.store.remove(code)) throw new NotFoundError(`No catalogue item with code ${code}.`);
    this.journal.append(
      'catalog_changed',
      `Catalogue: item ${code} deleted (${by})`,
      null,
      { code, by },
      'catalog_item_deleted',
    );
  }

  get(code: string): CatalogItem | null {
    return this.store.get(code);
  }

  search(query: string, limit?: number): CatalogItem[] {
    return this.store.search(query, limit);
  }

  scan(code: string): ScanOutcome {
    return resolveScan(this.store, code, this.weight);
  }
}

// Quick keys: the sale screen's buttons for items without a barcode, in the order the manager set
// (migration 9). The list is replaced whole (the manager's panel and PUT /v1/catalog/quick-keys send
// every key), checked first: at most QUICK_KEYS_MAX, each code a catalogue item and listed once. A
// refusal names every bad key as keys[N].code and stores nothing. An item deleted from the catalogue
// leaves the list by the foreign key's cascade, in the same statement as the delete.
import { z } from 'zod';
import { CatalogValidationError, type FieldIssue } from '../../../shared/errors.ts';
import { QUICK_KEY_LABEL_MAX, QUICK_KEYS_MAX } from '../../../shared/quick-keys.ts';
import type { Db } from '../buffer/database.ts';
import type { Journal } from '../buffer/journal.ts';
import { NO_CONTROL_CHARACTERS } from '../fiscal/receipt-request.ts';
import { catalogCodeSchema, type CatalogItem } from './catalog-item.ts';
import type { CatalogStore } from './catalog-store.ts';

/** One key as sent by the manager's panel or an ERP; an empty label means the item's name. */
export const quickKeyInputSchema = z.object({
  code: catalogCodeSchema,
  label: z
    .string({ error: 'label must be text' })
    .trim()
    .max(QUICK_KEY_LABEL_MAX, { error: `label must be at most ${QUICK_KEY_LABEL_MAX} characters` })
    .regex(NO_CONTROL_CHARACTERS, { error: 'label must not contain control characters' })
    .nullable()
    .optional()
    .meta({ description: "The button's text; absent or empty: the item's name" }),
});

export const quickKeysInputSchema = z
  .array(quickKeyInputSchema, { error: 'keys must be a list of {code, label}' })
  .max(QUICK_KEYS_MAX, { error: `at most ${QUICK_KEYS_MAX} quick keys` });

export type QuickKeyInput = z.output<typeof quickKeyInputSchema>;

export interface QuickKey {
  code: string;
  label: string | null;
  item: CatalogItem;
}

export class QuickKeys {
  private readonly listStmt;
  private readonly clearStmt;
  private readonly putStmt;

  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogStore,
    private readonly journal: Journal,
  ) {
    this.listStmt = db.prepare<[], { code: string; label: string | null }>(
      `SELECT code, label FROM quick_keys ORDER BY position`,
    );
    this.clearStmt = db.prepare(`DELETE FROM quick_keys`);
    this.putStmt = db.prepare(`INSERT INTO quick_keys (position, code, label) VALUES (?, ?, ?)`);
  }

  /** The keys in the manager's order, each with its catalogue item as it is now (today's price). */
  list(): QuickKey[] {
    const out: QuickKey[] = [];
    for (const r of this.listStmt.all()) {
      const item = this.catalog.get(r.code);
      if (item) out.push({ code: r.code, label: r.label, item });
    }
    return out;
  }

  /**
   * Replaces the whole list in one transaction, after checking every key; `where` names a key for a
   * refusal ("keys[2]", "body.keys[2]"), `by` says who for the journal.
   */
  replace(keys: readonly QuickKeyInput[], by: string, where = (i: number) => `keys[${i}]`): QuickKey[] {
    const issues: FieldIssue[] = [];
    if (keys.length > QUICK_KEYS_MAX)
      issues.push({ field: where(QUICK_KEYS_MAX), message: `at most ${QUICK_KEYS_MAX} quick keys` });
    const seen = new Map<string, number>();
    keys.forEach((k, i) => {
      const first = seen.get(k.code);
      if (first !== undefined)
        issues.push({ field: `${where(i)}.code`, message: `code ${k.code} is also at ${where(first)}` });
      else seen.set(k.code, i);
      if (!this.catalog.get(k.code))
        issues.push({ field: `${where(i)}.code`, message: `no catalogue item with code ${k.code}` });
    });
    if (issues.length) throw new CatalogValidationError(issues);
    this.db.transaction(() => {
      this.clearStmt.run();
      keys.forEach((k, i) => this.putStmt.run(i, k.code, k.label ? k.label : null));
      // In the change's transaction: the journal never tells of a list that was not stored, nor misses one.
      this.journal.append(
        'catalog_changed',
        `Quick keys: ${keys.length} set (${by})`,
        null,
        { count: keys.length, by },
        'quick_keys_set',
      );
    })();
    return this.list();
  }
}

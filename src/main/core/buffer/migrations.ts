// Schema versions of the buffer, applied in order; never edit a released one, add the next.
//
// 4: receipt_counts. The status questions (buffer status, /v1/health, /metrics, the status panel) used
// to `count(*)` the receipts table, so with a long retention they cost O(history): 150–225 ms at
// 1,000,000 synced rows against 2–3 ms on a fresh buffer. receipt_counts holds one row per state with
// its number of receipts, kept by triggers on receipts (insert, a status change, delete). Triggers, not
// TypeScript beside each statement: they run inside the statement's own transaction, so a commit moves
// the row and its count together and a rollback (a crash, a refused transition) undoes both; and no
// writer can forget them (the store's transitions, retention, recovery, a row seeded straight into
// SQLite by a bench or a repair). The migration back-fills the table from the existing rows once, in
// the migration's transaction: one full count at the upgrade, never again. dlq_open lets the open
// dead-letter count read only the open entries, not the resolved ones retention keeps for 90 days.
//
// 5: the catalogue (src/main/core/catalog). Items by their code; barcodes in a table of their own (an
// item has several; a barcode names one item: its primary key is the 1 ms lookup); the names in an
// external-content FTS5 index with the unicode61 tokenizer (case-folds Cyrillic, ё as е), kept by
// triggers so no writer can forget it. Prefix indexes of 1–3 letters: a cashier types «мол», and a
// prefix query without them merges the lists of every word starting so (measured in bench/catalog.ts). Upserts must be INSERT … ON CONFLICT DO UPDATE, never REPLACE:
// REPLACE deletes without firing the delete trigger and would leave a stale name in the index.
//
// 6: correction receipts (receipts.type 'correction') and the INN of the cashier who opened a shift.
// SQLite cannot change a CHECK constraint in place, and this build's SQLite refuses writable_schema
// (defensive mode), so receipts is rebuilt the documented way (sqlite.org/lang_altertable.html, "other
// kinds of table schema changes"): a copy with the wider CHECK, the rows, drop, rename, then its indexes
// and triggers again. It is built from the table's CURRENT definition in sqlite_schema, so a column or
// trigger another migration added before it survives. migrate() runs it with foreign keys off (they
// cannot be switched inside a transaction) and checks them before the commit. The receipt_counts rows
// stay right: the copy goes into a table without triggers and a DROP fires none.
//
// 7: cashiers (src/main/core/cashiers): who signs in, with a hashed PIN. The one manager PIN of before
// (meta.manager_pin) becomes the first manager, «Менеджер», and leaves meta: one place for PINs.
//
// 8: journal entries name their event by a code with parameters (src/shared/journal-codes.ts), worded by
// the UI; a DLQ entry keeps its reason as a code with parameters. Older rows keep only their English text.
//
// 9: quick keys (core/catalog/quick-keys.ts): the sale screen's buttons, an ordered list of catalogue
// codes with an optional label. The code references catalog_items ON DELETE CASCADE: an item deleted
// from the catalogue leaves its button in the same statement, so a button never names a missing item.
//
// 10: lookups by FD number that do not grow with history. A refund finds its sale by the FD number on
// the customer's receipt (the QR, or typed), mostly without the FN; receipts_by_fd began with the FN, so
// that search read every receipt (about a second at 1,000,000). The same unique index with the FD first
// keeps the same rule (one document per FN and FD) and serves both searches. A refund of a sale retention
// already removed finds the earlier refunds of it by the FD it names (originalFiscal in the draft):
// refunds_by_original_fd, a partial index over refunds only, so a sale's commit does not pay for it.
import type Database from 'better-sqlite3';

type Db = Database.Database;

/** A schema step: SQL, or a function for what SQL alone cannot say (it runs in the migration's transaction). */
export type Migration = string | ((db: Db) => void);

const OLD_TYPE_CHECK = `CHECK (type IN ('sale', 'refund'))`;
const NEW_TYPE_CHECK = `CHECK (type IN ('sale', 'refund', 'correction'))`;

function allowCorrectionReceipts(db: Db): void {
  const table = db
    .prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'receipts'`)
    .get() as { sql: string } | undefined;
  if (!table?.sql.includes(OLD_TYPE_CHECK))
    throw new Error(
      `migration 6: receipts has no ${OLD_TYPE_CHECK} to widen; the buffer schema is not one this build knows`,
    );
  const companions = (
    db
      .prepare(
        `SELECT sql FROM sqlite_schema WHERE tbl_name = 'receipts' AND type IN ('index', 'trigger') AND sql IS NOT NULL`,
      )
      .all() as { sql: string }[]
  ).map((r) => r.sql);
  db.exec(
    table.sql
      .replace(/^CREATE TABLE receipts\b/, 'CREATE TABLE receipts_rebuilt')
      .replace(OLD_TYPE_CHECK, NEW_TYPE_CHECK),
  );
  db.exec(`INSERT INTO receipts_rebuilt SELECT * FROM receipts`);
  db.exec(`DROP TABLE receipts`);
  db.exec(`ALTER TABLE receipts_rebuilt RENAME TO receipts`);
  for (const sql of companions) db.exec(sql);
  db.exec(`ALTER TABLE shifts ADD COLUMN opened_by_inn TEXT`);
}

export const MIGRATIONS: readonly Migration[] = [
  /* 1: receipts with their state machine, idempotency, DLQ, journal, clock */ `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE receipts (
    id                  TEXT PRIMARY KEY,
    idempotency_key     TEXT NOT NULL UNIQUE,
    request_hash        TEXT NOT NULL,
    pos_id              TEXT NOT NULL,
    type                TEXT NOT NULL CHECK (type IN ('sale', 'refund')),
    status              TEXT NOT NULL CHECK (status IN ('accepted', 'printing', 'printed', 'synced', 'print_failed', 'dead', 'voided')),
    hlc                 TEXT NOT NULL,
    total_kop           INTEGER NOT NULL CHECK (total_kop > 0),
    draft               TEXT NOT NULL,
    original_receipt_id TEXT REFERENCES receipts(id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    print_started_at    TEXT,
    printed_at          TEXT,
    fd_number           INTEGER,
    fiscal_sign         INTEGER,
    fn_number           TEXT,
    kkt_reg_number      TEXT,
    shift_number        INTEGER,
    receipt_number      INTEGER,
    fiscal_datetime     TEXT,
    qr                  TEXT,
    change_kop          INTEGER,
    attempts            INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT,
    next_attempt_at     INTEGER,
    synced_at           TEXT,
    ofd_id              TEXT
  );
  CREATE INDEX receipts_by_status ON receipts (status, hlc);
  CREATE INDEX receipts_by_original ON receipts (original_receipt_id) WHERE original_receipt_id IS NOT NULL;
  CREATE UNIQUE INDEX receipts_by_fd ON receipts (fn_number, fd_number) WHERE fd_number IS NOT NULL;

  CREATE TABLE dlq (
    receipt_id      TEXT PRIMARY KEY REFERENCES receipts(id),
    reason          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    last_error      TEXT,
    moved_at        TEXT NOT NULL,
    resolved_at     TEXT,
    resolved_by     TEXT,
    resolution_note TEXT
  );

  CREATE TABLE journal (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    hlc        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    receipt_id TEXT,
    message    TEXT NOT NULL,
    data       TEXT
  );
  CREATE INDEX journal_by_receipt ON journal (receipt_id) WHERE receipt_id IS NOT NULL;
  `,
  /* 2: the shift lifecycle: shifts as the station saw them, cash drawer operations */ `
  CREATE TABLE shifts (
    fn_number    TEXT NOT NULL,
    number       INTEGER NOT NULL,
    opened_at    TEXT NOT NULL,
    opened_by    TEXT,
    open_fd      INTEGER,
    closed_at    TEXT,
    closed_by    TEXT,
    close_fd     INTEGER,
    close_fp     INTEGER,
    z_totals     TEXT,
    PRIMARY KEY (fn_number, number)
  );

  CREATE TABLE cash_operations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    fn_number       TEXT NOT NULL,
    shift_number    INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('in', 'out')),
    amount_kop      INTEGER NOT NULL CHECK (amount_kop > 0),
    document_number INTEGER,
    at              TEXT NOT NULL,
    cashier         TEXT
  );
  CREATE INDEX cash_operations_by_shift ON cash_operations (fn_number, shift_number);
  CREATE INDEX receipts_by_shift ON receipts (fn_number, shift_number) WHERE fd_number IS NOT NULL;
  `,
  /* 3: idempotent cash operations: a retried cash in/out must not move the drawer twice */ `
  ALTER TABLE cash_operations ADD COLUMN idempotency_key TEXT;
  CREATE UNIQUE INDEX cash_operations_by_key ON cash_operations (idempotency_key) WHERE idempotency_key IS NOT NULL;
  `,
  /* 4: per-state receipt counts kept by triggers, so status never counts the whole table */ `
  CREATE TABLE receipt_counts (
    state TEXT PRIMARY KEY,
    n     INTEGER NOT NULL CHECK (n >= 0)
  ) WITHOUT ROWID;
  INSERT INTO receipt_counts (state, n)
    SELECT s.state, (SELECT count(*) FROM receipts r WHERE r.status = s.state)
    FROM (SELECT 'accepted' AS state UNION ALL SELECT 'printing' UNION ALL SELECT 'printed'
          UNION ALL SELECT 'synced' UNION ALL SELECT 'print_failed' UNION ALL SELECT 'dead'
          UNION ALL SELECT 'voided') s;
  CREATE TRIGGER receipt_counts_insert AFTER INSERT ON receipts BEGIN
    UPDATE receipt_counts SET n = n + 1 WHERE state = NEW.status;
  END;
  CREATE TRIGGER receipt_counts_delete AFTER DELETE ON receipts BEGIN
    UPDATE receipt_counts SET n = n - 1 WHERE state = OLD.status;
  END;
  CREATE TRIGGER receipt_counts_status AFTER UPDATE OF status ON receipts WHEN OLD.status IS NOT NEW.status BEGIN
    UPDATE receipt_counts SET n = n - 1 WHERE state = OLD.status;
    UPDATE receipt_counts SET n = n + 1 WHERE state = NEW.status;
  END;
  CREATE INDEX dlq_open ON dlq (receipt_id) WHERE resolved_at IS NULL;
  `,
  /* 5: the catalogue: items, their barcodes, a full-text index of the names */ `
  CREATE TABLE catalog_items (
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    price_kop       INTEGER NOT NULL CHECK (price_kop >= 0),
    vat             TEXT NOT NULL,
    unit            INTEGER NOT NULL DEFAULT 0,
    weighed         INTEGER NOT NULL DEFAULT 0 CHECK (weighed IN (0, 1)),
    marked          INTEGER NOT NULL DEFAULT 0 CHECK (marked IN (0, 1)),
    free_price      INTEGER NOT NULL DEFAULT 0 CHECK (free_price IN (0, 1)),
    payment_subject INTEGER NOT NULL DEFAULT 1,
    updated_at      TEXT NOT NULL
  );
  CREATE TABLE catalog_barcodes (
    barcode TEXT PRIMARY KEY,
    code    TEXT NOT NULL REFERENCES catalog_items(code) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE INDEX catalog_barcodes_by_code ON catalog_barcodes (code);
  CREATE VIRTUAL TABLE catalog_names USING fts5(
    name, content='catalog_items', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2',
    prefix='1 2 3'
  );
  CREATE TRIGGER catalog_names_insert AFTER INSERT ON catalog_items BEGIN
    INSERT INTO catalog_names (rowid, name) VALUES (NEW.rowid, NEW.name);
  END;
  CREATE TRIGGER catalog_names_delete AFTER DELETE ON catalog_items BEGIN
    INSERT INTO catalog_names (catalog_names, rowid, name) VALUES ('delete', OLD.rowid, OLD.name);
  END;
  CREATE TRIGGER catalog_names_update AFTER UPDATE OF name ON catalog_items BEGIN
    INSERT INTO catalog_names (catalog_names, rowid, name) VALUES ('delete', OLD.rowid, OLD.name);
    INSERT INTO catalog_names (rowid, name) VALUES (NEW.rowid, NEW.name);
  END;
  `,
  /* 6: correction receipts and the shift's cashier INN (see the header) */ allowCorrectionReceipts,
  /* 7: cashiers: who signs in, with a hashed PIN; the manager PIN of before becomes the first manager */ `
  CREATE TABLE cashiers (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    inn        TEXT,
    role       TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
    pin_hash   TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  INSERT INTO cashiers (name, name_key, role, pin_hash, created_at)
    SELECT 'Менеджер', 'менеджер', 'manager', value, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    FROM meta WHERE key = 'manager_pin';
  DELETE FROM meta WHERE key = 'manager_pin';
  `,
  /* 8: journal entries name their event by a code with parameters (the UI words them); a DLQ entry
     keeps its reason as a code with parameters too. Older rows keep only their English text. */ `
  ALTER TABLE journal ADD COLUMN code TEXT;
  ALTER TABLE dlq ADD COLUMN reason_code TEXT;
  ALTER TABLE dlq ADD COLUMN reason_params TEXT;
  `,
  /* 9: quick keys: the sale screen's buttons for items without a barcode, in the manager's order */ `
  CREATE TABLE quick_keys (
    position INTEGER PRIMARY KEY CHECK (position >= 0),
    code     TEXT NOT NULL UNIQUE REFERENCES catalog_items(code) ON DELETE CASCADE,
    label    TEXT
  );
  `,
  /* 10: a receipt by its FD number alone, and the refunds of a purged sale, without reading the history */ `
  DROP INDEX receipts_by_fd;
  CREATE UNIQUE INDEX receipts_by_fd ON receipts (fd_number, fn_number) WHERE fd_number IS NOT NULL;
  CREATE INDEX refunds_by_original_fd ON receipts (json_extract(draft, '$.originalFiscal.fdNumber'))
    WHERE type = 'refund';
  `,
];

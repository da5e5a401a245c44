// `npm run catalog -- import FILE.csv | export FILE.csv [--semicolon] [--windows-1251]`: the catalogue
// of the station's data directory (STATION_DATA_DIR) to and from the CSV shops export from 1C and
// МойСклад (format: src/main/core/catalog/catalog-csv.ts, README «Каталог товаров»). It opens the
// buffer file itself (SQLite lets it write beside a running station) and takes no KKT.
// An import stores every row or none: a bad file lists each bad row and column and changes nothing.
// Exit codes: 0 done, 1 a fault, 2 bad usage or a bad setting, 4 the file has bad rows (nothing stored).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { loadConfig, weightLayoutOf } from '../core/config.ts';
import { startFailure } from '../app/start-failure.ts';
import { openDatabase } from '../core/buffer/database.ts';
import { HybridClock } from '../core/buffer/hlc.ts';
import { Journal } from '../core/buffer/journal.ts';
import { Catalog } from '../core/catalog/catalog.ts';
import { catalogCsvLines } from '../core/catalog/catalog-csv.ts';
import { CatalogValidationError } from '../../shared/errors.ts';
import { catalogIssueRu } from '../../shared/catalog-issues.ts';
import { BY } from '../../shared/journal-by.ts';

const USAGE = `Usage:
  npm run catalog -- import FILE.csv       add or replace the file's items (all rows or none)
  npm run catalog -- export FILE.csv [--semicolon] [--windows-1251]
The station's data directory is STATION_DATA_DIR (as for the station itself).
CSV columns: code,name,price,vat_rate,barcodes,unit,weighed,marked (barcodes separated by |).`;

function main(argv: string[]): number {
  const [command, file, ...flags] = argv;
  if (!file || (command !== 'import' && command !== 'export')) {
    console.error(USAGE);
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    const f = startFailure(e);
    if (f.unexpected) throw e;
    console.error(f.line);
    return f.exitCode;
  }
  const db = openDatabase(join(config.dataDir, 'buffer.sqlite'));
  try {
    const catalog = new Catalog(db, new Journal(db, new HybridClock(db)), weightLayoutOf(config));
    if (command === 'import') {
      const started = Date.now();
      try {
        const r = catalog.importCsv(readFileSync(file), BY.cli, file);
        console.log(
          `Imported ${r.rows} items from ${file} (${r.encoding}): ${r.inserted} new, ${r.updated} updated, in ${Date.now() - started} ms. The catalogue holds ${catalog.store.count()} items.`,
        );
        return 0;
      } catch (e) {
        if (!(e instanceof CatalogValidationError)) throw e;
        // The manager's words: Russian, like the UI.
        console.error(`${file}: каталог не изменён, ни одна строка не сохранена; ошибок: ${e.issues.length}`);
        for (const i of e.issues.slice(0, 200)) console.error(`  ${catalogIssueRu(i)}`);
        if (e.issues.length > 200) console.error(`  … и ещё ${e.issues.length - 200}`);
        return 4;
      }
    }
    const unknown = flags.filter((f) => f !== '--semicolon' && f !== '--windows-1251');
    if (unknown.length) {
      console.error(`Unknown option ${unknown.join(' ')}.\n${USAGE}`);
      return 2;
    }
    const text = `${[...catalogCsvLines(catalog.store.all(), flags.includes('--semicolon') ? ';' : ',')].join('\r\n')}\r\n`;
    const bytes = flags.includes('--windows-1251')
      ? iconv.encode(text, 'win1251')
      : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]); // a BOM: Excel reads it as UTF-8
    writeFileSync(`${file}.tmp`, bytes);
    renameSync(`${file}.tmp`, file);
    console.log(`Exported ${catalog.store.count()} items to ${file}.`);
    return 0;
  } finally {
    db.close();
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`npm run catalog failed: ${(e as Error).message}`);
  process.exitCode = 1;
}

// The journal's events (codes) and the groups support filters by (kinds) are one table
// (src/shared/journal-codes.ts JOURNAL_EVENTS): every event has a group, every group and every event
// has words in Russian and English, and an event filed under another group does not compile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { JOURNAL_CODES, JOURNAL_EVENTS, JOURNAL_KINDS, journalKindOf } from '../src/shared/journal-codes.ts';
import { openDatabase } from '../src/main/core/buffer/database.ts';
import { HybridClock } from '../src/main/core/buffer/hlc.ts';
import { Journal } from '../src/main/core/buffer/journal.ts';
import { ru } from '../src/renderer/i18n/ru.ts';
import { en } from '../src/renderer/i18n/en.ts';
import { tempDir } from './helpers/fixture.ts';

test('every event has a group; the groups are exactly the groups of the events', () => {
  assert.equal(new Set(JOURNAL_CODES).size, JOURNAL_CODES.length);
  for (const code of JOURNAL_CODES) assert.ok(JOURNAL_KINDS.includes(journalKindOf(code)), code);
  assert.deepEqual([...JOURNAL_KINDS].sort(), [...new Set(Object.values(JOURNAL_EVENTS))].sort());
  // The groups that gather several events (the rest are one event each, named alike).
  assert.deepEqual(journalKindOf('receipt_found_in_kkt'), 'receipt_recovered');
  assert.deepEqual(journalKindOf('receipt_synced_duplicate'), 'receipt_synced');
  assert.deepEqual(journalKindOf('pin_set'), 'config_changed');
  assert.deepEqual(journalKindOf('quick_keys_set'), 'catalog_changed');
});

test('every group and every event is worded in Russian and English', () => {
  for (const [lang, t] of [
    ['ru', ru],
    ['en', en],
  ] as const) {
    assert.deepEqual(Object.keys(t.journalKind).sort(), [...JOURNAL_KINDS].sort(), `${lang}: journalKind`);
    for (const kind of JOURNAL_KINDS) {
      const words = t.journalKind[kind] ?? '';
      assert.ok(words.trim(), `${lang}: group ${kind}`);
      if (lang === 'ru') assert.match(words, /[а-яё]/i, `ru: group ${kind}: ${words}`);
      else assert.doesNotMatch(words, /[а-яё]/i, `en: group ${kind}: ${words}`);
    }
    for (const code of JOURNAL_CODES) {
      const words = t.journalText[code]({});
      assert.ok(words.trim(), `${lang}: event ${code}`);
    }
  }
});

test('an entry is filed under its group; a code of another group does not compile', (t) => {
  const db = openDatabase(join(tempDir(t), 'j.sqlite'));
  t.after(() => db.close());
  const journal = new Journal(db, new HybridClock(db, Date.now));
  const pin = journal.append('config_changed', 'Manager PIN set', null, {}, 'pin_set');
  assert.deepEqual([pin.kind, pin.code], ['config_changed', 'pin_set']);
  const synced = journal.append('receipt_synced', 'synced', 'r1');
  assert.deepEqual([synced.kind, synced.code], ['receipt_synced', 'receipt_synced'], 'one-event group');
  const config = journal.append('config_changed', 'an old kind of line');
  assert.equal(config.code, null, 'a group of several events names none by default');
  // Checked by the compiler (npm test type-checks the tests): never run.
  const _misfiled = () => {
    // @ts-expect-error a catalogue event is not filed under the settings
    journal.append('config_changed', 'x', null, {}, 'catalog_imported');
    // @ts-expect-error nor a receipt event under another receipt group
    journal.append('receipt_synced', 'x', null, {}, 'receipt_not_in_kkt');
  };
  assert.equal(typeof _misfiled, 'function');
});

// The sale screen's quick keys, arranged by the manager behind the PIN: find an item, add it (with an
// optional label), move a key up or down, remove it. Each change sends the whole list at once
// (quickKeys.set), so there is no unsaved state to lose; the station refuses an unknown code and the
// panel shows the refusal. The sale screen follows through the journal (state/quick-keys.ts).
import { useEffect, useState } from 'react';
import type { CatalogItemView, QuickKeyView } from '../../../shared/contract.ts';
import { QUICK_KEY_LABEL_MAX, QUICK_KEYS_MAX } from '../../../shared/quick-keys.ts';
import { call } from '../../state/api.ts';
import { useT } from '../../state/language.ts';
import { followQuickKeys, useQuickKeys } from '../../state/quick-keys.ts';
import { ErrorAlert, Money, Notice, RowAction, TextField } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import { SEARCH_MAX_LENGTH, SearchOutcome, useCatalogSearch } from '../catalog-search.tsx';
import type { PinProps } from './session.ts';

type KeyInput = { code: string; label: string | null };
const asInput = (keys: QuickKeyView[]): KeyInput[] => keys.map((k) => ({ code: k.code, label: k.label }));

export function QuickKeysPanel({ pin, onPinRejected }: PinProps) {
  const t = useT();
  const keys = useQuickKeys((s) => s.keys);
  const command = useCommand(onPinRejected);
  const [saved, setSaved] = useState(false);
  const [query, setQuery] = useState('');
  const [label, setLabel] = useState('');
  const search = useCatalogSearch(query, 10);
  const found = search.items;

  useEffect(() => followQuickKeys(), []);

  async function save(next: KeyInput[]) {
    setSaved(false);
    const r = await command.run(() => call('quickKeys.set', { pin, keys: next }));
    if (r?.ok) {
      useQuickKeys.setState({ keys: r.value, error: null });
      setSaved(true);
    }
  }
  function move(i: number, step: -1 | 1) {
    const next = asInput(keys);
    [next[i], next[i + step]] = [next[i + step]!, next[i]!];
    void save(next);
  }
  function add(item: CatalogItemView) {
    void save([...asInput(keys), { code: item.code, label: label.trim() || null }]);
    setLabel('');
  }

  const onKey = new Set(keys.map((k) => k.code));
  const full = keys.length >= QUICK_KEYS_MAX;
  return (
    <section className="panel" aria-labelledby="quick-keys-title">
      <h3 id="quick-keys-title">{t.quickKeysManageTitle}</h3>
      <p className="hint">{t.quickKeysManageHint(QUICK_KEYS_MAX)}</p>
      {keys.length ? (
        <ol className="quick-keys-manage" aria-label={t.quickKeysList}>
          {keys.map((k, i) => {
            const name = k.label ?? k.item.name;
            return (
              <li key={k.code}>
                <span className="quick-key-text">
                  {i + 1}. <strong>{name}</strong> <span className="hint">({k.code})</span>{' '}
                  <Money kop={k.item.priceKop} />
                </span>
                <RowAction
                  label={t.quickKeyUp(name)}
                  icon="↑"
                  disabled={i === 0 || command.busy}
                  onClick={() => move(i, -1)}
                />
                <RowAction
                  label={t.quickKeyDown(name)}
                  icon="↓"
                  disabled={i === keys.length - 1 || command.busy}
                  onClick={() => move(i, 1)}
                />
                <RowAction
                  label={t.quickKeyRemove(name)}
                  icon="✕"
                  disabled={command.busy}
                  onClick={() => void save(asInput(keys).filter((_, j) => j !== i))}
                />
              </li>
            );
          })}
        </ol>
      ) : (
        <p>{t.quickKeysEmpty}</p>
      )}
      {saved ? <Notice>{t.quickKeysSaved}</Notice> : null}
      {command.error ? <ErrorAlert error={command.error} /> : null}
      {full ? <p className="hint">{t.quickKeysFull(QUICK_KEYS_MAX)}</p> : null}

      <TextField
        label={t.quickKeyFind}
        value={query}
        onValue={setQuery}
        type="search"
        autoComplete="off"
        maxLength={SEARCH_MAX_LENGTH}
      />
      <TextField
        label={t.quickKeyLabel}
        value={label}
        onValue={setLabel}
        hint={t.quickKeyLabelHint}
        autoComplete="off"
        maxLength={QUICK_KEY_LABEL_MAX}
      />
      {found.length ? (
        <ul className="quick-keys-manage" aria-label={t.itemSearchResults}>
          {found.map((it) => (
            <li key={it.code}>
              <span className="quick-key-text">
                {it.name} <span className="hint">({it.code})</span> <Money kop={it.priceKop} />
              </span>
              {onKey.has(it.code) ? (
                <span className="hint">{t.quickKeyOnKey}</span>
              ) : (
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={full || command.busy}
                  onClick={() => add(it)}
                >
                  {t.quickKeyAdd(it.name)}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <SearchOutcome search={search} />
    </section>
  );
}

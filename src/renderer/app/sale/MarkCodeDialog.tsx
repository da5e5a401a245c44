// Asks for the marking code of a marked item being added (mark-entry.ts): a keyboard scanner's burst of
// the DataMatrix lands here (codes up to MARK_SCAN_MAX_LENGTH, crypto tail and all), or the cashier types
// it (keys read by position: Latin under the Russian layout too); Enter adds the line, Escape or «Отмена»
// drops the item.
import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { MARK_SCAN_MAX_LENGTH } from '../../../shared/marking-code.ts';
import { setFieldValue } from '../../state/keyboard-scanner.ts';
import { scannedChar } from '../../state/scanner-keys.ts';
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../../state/language.ts';
import { cancelMark, submitMark, useMarkEntry } from '../../state/mark-entry.ts';
import { Modal, TextField } from '../ui.tsx';

export function MarkCodeDialog() {
  const { item, error } = useMarkEntry(useShallow((s) => ({ item: s.item, error: s.error })));
  return item ? <MarkCodeForm key={item.code} name={item.name} error={error} /> : null;
}

function MarkCodeForm({ name, error }: { name: string; error: string | null }) {
  const t = useT();
  const [code, setCode] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);

  /** A code is ASCII: a key typed here (or a scanner's first key) counts by its position, as on a US
   * keyboard, so the Russian layout does not turn the code into Cyrillic (scanner-keys.ts). */
  function asciiKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.ctrlKey || e.altKey || e.metaKey || e.key.length !== 1) return;
    const ch = scannedChar(e);
    if (ch === e.key) return;
    e.preventDefault();
    const el = e.currentTarget;
    const at = el.selectionStart ?? el.value.length;
    const to = el.selectionEnd ?? at;
    setFieldValue(el, el.value.slice(0, at) + ch + el.value.slice(to));
    el.setSelectionRange(at + 1, at + 1);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!submitMark(code)) inputRef.current?.select();
  }

  return (
    <Modal title={t.markTitle} onClose={cancelMark} initialFocus={inputRef} className="mark-dialog">
      <form onSubmit={submit} noValidate>
        <p>{t.markHint(name)}</p>
        <TextField
          label={t.markLabel}
          value={code}
          onValue={setCode}
          inputRef={inputRef}
          error={error ?? undefined}
          autoComplete="off"
          spellCheck={false}
          maxLength={MARK_SCAN_MAX_LENGTH}
          onKeyDown={asciiKey}
          data-scan-ascii=""
        />
        <div className="dialog-actions">
          <button type="submit" className="btn btn-primary">
            {t.markAdd}
          </button>
          <button type="button" className="btn" onClick={cancelMark}>
            {t.cancel}
          </button>
        </div>
      </form>
    </Modal>
  );
}

// Asks for the marking code of a marked item being added (mark-entry.ts): a keyboard scanner's burst of
// the DataMatrix lands here (or in the field, for codes longer than a burst can be), or the cashier types
// it; Enter adds the line, Escape or «Отмена» drops the item.
import { useRef, useState, type FormEvent } from 'react';
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
          maxLength={200}
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

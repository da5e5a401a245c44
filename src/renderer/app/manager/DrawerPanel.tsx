// «Открыть ящик»: the manager opens the cash drawer without a sale (change for a customer, a count), behind
// the PIN like every manager action. Shown only on a till with a drawer (snapshot.cashDrawer).
import { useState } from 'react';
import { call } from '../../state/api.ts';
import { useT } from '../../state/language.ts';
import { useStation } from '../../state/store.ts';
import { ErrorAlert, Notice } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import type { PinProps } from './session.ts';

export function DrawerPanel({ pin, onPinRejected }: PinProps) {
  const t = useT();
  const hasDrawer = useStation((s) => s.snapshot?.cashDrawer ?? false);
  const command = useCommand(onPinRejected);
  const [opened, setOpened] = useState(false);
  if (!hasDrawer) return null;

  async function open() {
    setOpened(false);
    const r = await command.run(() => call('kkt.openDrawer', { pin }));
    if (r?.ok) setOpened(true);
  }

  return (
    <section className="panel" aria-labelledby="drawer-title">
      <h3 id="drawer-title">{t.drawerTitle}</h3>
      <button
        type="button"
        className="btn btn-primary"
        onClick={() => void open()}
        disabled={command.busy}
        aria-busy={command.busy}
      >
        {t.drawerOpen}
      </button>
      {opened ? <Notice>{t.drawerOpened}</Notice> : null}
      {command.error ? <ErrorAlert error={command.error} /> : null}
    </section>
  );
}

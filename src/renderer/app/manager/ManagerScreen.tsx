// The manager area: set the first PIN, sign in, then the panels behind the PIN (session.ts keeps the
// PIN and forgets it). Each panel sends its own commands with the session's PIN.
import { useT } from '../../state/language.ts';
import { useStation } from '../../state/store.ts';
import { CatalogPanel } from './CatalogPanel.tsx';
import { CashiersPanel } from './CashiersPanel.tsx';
import { ChangePinPanel } from './ChangePinPanel.tsx';
import { CorrectionPanel } from './CorrectionPanel.tsx';
import { DlqPanel } from './DlqPanel.tsx';
import { DrawerPanel } from './DrawerPanel.tsx';
import { LoginForm } from './LoginForm.tsx';
import { QuickKeysPanel } from './QuickKeysPanel.tsx';
import { useManagerSession } from './session.ts';
import { SetPinForm } from './SetPinForm.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';
import { SyncPanel } from './SyncPanel.tsx';
import { UnprintedPanel } from './UnprintedPanel.tsx';

export function ManagerScreen() {
  const t = useT();
  const pinSet = useStation((s) => s.snapshot?.managerPinSet ?? null);
  const { pin, loggedOutReason, onPinRejected, signIn, signOut } = useManagerSession();

  return (
    <div className="screen manager-screen">
      <h2>{t.managerTitle}</h2>
      {pinSet === null ? <p role="status">{t.connecting}</p> : null}
      {pinSet === false ? <SetPinForm /> : null}
      {pinSet && !pin ? <LoginForm reason={loggedOutReason} onLogin={signIn} /> : null}
      {pinSet && pin ? (
        <>
          <div className="button-row">
            <button type="button" className="btn btn-ghost" onClick={signOut}>
              {t.logout}
            </button>
          </div>
          <SyncPanel pin={pin} onPinRejected={onPinRejected} />
          <DrawerPanel pin={pin} onPinRejected={onPinRejected} />
          <CatalogPanel pin={pin} onPinRejected={onPinRejected} />
          <QuickKeysPanel pin={pin} onPinRejected={onPinRejected} />
          <UnprintedPanel pin={pin} onPinRejected={onPinRejected} />
          <CorrectionPanel pin={pin} onPinRejected={onPinRejected} />
          <DlqPanel pin={pin} onPinRejected={onPinRejected} />
          <SettingsPanel pin={pin} onPinRejected={onPinRejected} />
          <CashiersPanel pin={pin} onPinRejected={onPinRejected} />
          <ChangePinPanel onChanged={signIn} />
        </>
      ) : null}
    </div>
  );
}

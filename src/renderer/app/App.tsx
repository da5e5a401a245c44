// The shell: header (always visible), the section tabs, and the current screen.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useT } from '../state/language.ts';
import { SCREENS, setScreen, useStation, type Screen } from '../state/store.ts';
import { useCashier } from '../state/cashier.ts';
import { Header } from './Header.tsx';
import { CashierBar } from './signin/CashierBar.tsx';
import { SignInScreen } from './signin/SignInScreen.tsx';
import { ManagerScreen } from './manager/ManagerScreen.tsx';
import { RefundScreen } from './RefundScreen.tsx';
import { SaleScreen } from './sale/SaleScreen.tsx';
import { ShiftScreen } from './ShiftScreen.tsx';
import { StatusScreen } from './StatusScreen.tsx';
import { SupportScreen } from './SupportScreen.tsx';

export function App() {
  const t = useT();
  const lang = useStation((s) => s.lang);
  const screen = useStation((s) => s.screen);
  const tabRefs = useRef<Partial<Record<Screen, HTMLButtonElement | null>>>({});
  const signedIn = useCashier((s) => s.cashier !== null && !s.locked);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${t.appTitle} — ${signedIn ? label(screen) : t.signInTitle}`;
  });

  // Alt+1…6 switch sections from anywhere (the till is keyboard first).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      const target = Number.isInteger(n) && n >= 1 && n <= SCREENS.length ? SCREENS[n - 1] : undefined;
      if (
        target &&
        useCashier.getState().cashier &&
        !useCashier.getState().locked &&
        !document.querySelector('dialog[open]')
      ) {
        e.preventDefault();
        setScreen(target);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  function label(s: Screen): string {
    return {
      sale: t.navSale,
      refund: t.navRefund,
      shift: t.navShift,
      status: t.navStatus,
      manager: t.navManager,
      support: t.navSupport,
    }[s];
  }

  function onTabKey(e: KeyboardEvent<HTMLButtonElement>) {
    const i = SCREENS.indexOf(screen);
    let next: number | null = null;
    if (e.key === 'ArrowRight') next = (i + 1) % SCREENS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + SCREENS.length) % SCREENS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = SCREENS.length - 1;
    if (next === null) return;
    e.preventDefault();
    const s = SCREENS[next]!;
    setScreen(s);
    tabRefs.current[s]?.focus();
  }

  // Nobody signed in, or the till is locked: the sign-in screen only, the header stays.
  if (!signedIn)
    return (
      <div className="app">
        <Header />
        <main id="main" className="app-main" tabIndex={-1}>
          <SignInScreen />
        </main>
      </div>
    );

  return (
    <div className="app">
      <Header />
      <CashierBar />
      <nav className="app-nav" aria-label={t.navLabel}>
        <div role="tablist" aria-label={t.navLabel} className="tabs">
          {SCREENS.map((s, i) => (
            <button
              key={s}
              type="button"
              role="tab"
              id={`tab-${s}`}
              aria-selected={screen === s}
              aria-controls="panel"
              tabIndex={screen === s ? 0 : -1}
              className="tab"
              title={`Alt+${i + 1}`}
              ref={(el) => {
                tabRefs.current[s] = el;
              }}
              onClick={() => setScreen(s)}
              onKeyDown={onTabKey}
            >
              {label(s)}
            </button>
          ))}
        </div>
      </nav>
      <main id="main" className="app-main" tabIndex={0}>
        <div id="panel" role="tabpanel" aria-labelledby={`tab-${screen}`}>
          {screen === 'sale' ? <SaleScreen /> : null}
          {screen === 'refund' ? <RefundScreen /> : null}
          {screen === 'shift' ? <ShiftScreen /> : null}
          {screen === 'status' ? <StatusScreen /> : null}
          {screen === 'manager' ? <ManagerScreen /> : null}
          {screen === 'support' ? <SupportScreen /> : null}
        </div>
      </main>
    </div>
  );
}

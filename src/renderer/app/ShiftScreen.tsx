// The shift: open (cashier name), X report, cash in / out, totals, close with the Z report behind the
// manager PIN (asking first when receipts still wait for the OFD), and the "over 24 h" warning. The X
// and Z reports open in a dialog, so the screen under them keeps its place.
import { approvedPin, useCashier } from '../state/cashier.ts';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Result, ShiftReportView, ShiftTotalsView, ShiftView } from '../../shared/contract.ts';
import { formatDateTime, formatDuration, formatMoney, parseMoney } from '../format.ts';
import { isValidPin } from '../../shared/pin.ts';
import { useLang, useT } from '../state/language.ts';
import { call } from '../state/api.ts';
import { useStation } from '../state/store.ts';
import { ErrorAlert, Facts, Modal, Money, Notice, PinField, TextField, focusOnOpen } from './ui.tsx';
import { useCommand } from './useCommand.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';

export function ShiftScreen() {
  const t = useT();
  const lang = useLang();
  const [shift, setShift] = useState<ShiftView | null>(null);
  const command = useCommand();
  const { busy, error, fail } = command;
  const [notice, setNotice] = useState<string | null>(null);
  const [report, setReport] = useState<ShiftReportView | null>(null);
  const [cashier, setCashier] = useState(() => useCashier.getState().cashier?.name ?? '');
  const [amount, setAmount] = useState('');
  const [amountErr, setAmountErr] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  const pinSet = useStation((s) => s.snapshot?.managerPinSet ?? false);
  // Refresh when the device's shift changes (opened/closed elsewhere) or a receipt is printed.
  const kktKey = useStation(
    (s) =>
      `${s.snapshot?.kkt?.shiftNumber}:${s.snapshot?.kkt?.shiftOpen}:${s.snapshot?.kkt?.lastFdNumber}:${s.snapshot?.kkt?.shiftExpired}`,
  );
  const firstRef = useRef<HTMLInputElement>(null);
  const xRef = useRef<HTMLButtonElement>(null);

  const load = useCallback(async () => {
    const r = await call('shift.get');
    if (r.ok) setShift(r.value);
    else fail(r.error);
  }, [fail]);
  useEffect(() => {
    void load();
  }, [load, kktKey]);
  useEffect(() => {
    focusOnOpen(firstRef.current);
  }, [shift?.open]);

  /** One shift operation; the shift is reloaded after it, whatever the outcome. */
  async function run<T>(send: () => Promise<Result<T>>, onOk: (v: T) => void) {
    if (busy) return;
    setNotice(null);
    const r = await command.run(send);
    if (!r) return;
    if (r.ok) onOk(r.value);
    void load();
  }

  function openShift(e: FormEvent) {
    e.preventDefault();
    const name = cashier.trim();
    void run(
      () => {
        // The signed-in cashier's INN (tag 1203) goes with the name only while the name is theirs.
        const signedIn = useCashier.getState().cashier;
        const inn = signedIn?.inn && signedIn.name === name ? { cashierInn: signedIn.inn } : {};
        return call('shift.open', name ? { cashierName: name, ...inn } : {});
      },
      (v) => {
        setShift(v);
        setReport(null);
        setNotice(t.shiftOpened(v.shiftNumber));
      },
    );
  }
  function xReport() {
    void run(
      () => call('shift.xReport'),
      (v) => setReport(v),
    );
  }
  const cashKey = useRef<{ sig: string; key: string } | null>(null);
  function cash(kind: 'in' | 'out') {
    const kop = parseMoney(amount);
    if (kop === null || kop === 0) {
      setAmountErr(t.errAmount);
      return;
    }
    setAmountErr(null);
    // One key per operation: a retry of the same operation after an error (or a double click) reuses it,
    // so the drawer moves once; another amount or direction is another operation.
    const sig = `${kind}:${kop}`;
    if (cashKey.current?.sig !== sig) cashKey.current = { sig, key: crypto.randomUUID() };
    const idempotencyKey = cashKey.current.key;
    void run(
      () => call(kind === 'in' ? 'cash.in' : 'cash.out', { amountKop: kop, idempotencyKey }),
      (v) => {
        cashKey.current = null;
        setAmount('');
        setNotice(t.cashDone(kind, formatMoney(v.amountKop, lang), formatMoney(v.cashInDrawerKop, lang)));
      },
    );
  }

  const open = shift?.open ?? false;
  return (
    <div className="screen shift-screen">
      <h2>{t.shiftTitle}</h2>
      {shift ? (
        <section className="panel" aria-labelledby="shift-state">
          <h3 id="shift-state">{open ? t.shiftOpenState(shift.shiftNumber) : t.shiftClosedState}</h3>
          {open ? (
            <Facts
              rows={[
                [t.shiftOpenedAt, formatDateTime(shift.openedAt, lang)],
                [t.shiftAge, shift.ageMinutes === null ? t.none : formatDuration(shift.ageMinutes, lang)],
              ]}
            />
          ) : null}
          {open && shift.expired ? (
            <div role="alert" className="alert alert-critical">
              <p>{t.shiftOver24}</p>
            </div>
          ) : null}
        </section>
      ) : (
        <p role="status">{t.working}</p>
      )}
      {error ? <ErrorAlert error={error} /> : null}
      {notice ? <Notice>{notice}</Notice> : null}

      {shift && !open ? (
        <form className="panel inline-form" onSubmit={openShift} aria-labelledby="open-shift-title">
          <h3 id="open-shift-title">{t.openShift}</h3>
          <TextField
            label={t.cashierName}
            value={cashier}
            onValue={setCashier}
            inputRef={firstRef}
            autoComplete="name"
            maxLength={64}
          />
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t.openShift}
          </button>
        </form>
      ) : null}

      {shift && open ? (
        <>
          <div className="button-row">
            <button type="button" ref={xRef} className="btn" disabled={busy} onClick={xReport}>
              {t.xReport}
            </button>
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => setClosing(true)}>
              {t.closeShift}
            </button>
          </div>
          <section className="panel" aria-labelledby="cash-ops-title">
            <h3 id="cash-ops-title">{t.cashOpsTitle}</h3>
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                cash('in');
              }}
              noValidate
            >
              <TextField
                label={t.cashAmount}
                value={amount}
                onValue={setAmount}
                error={amountErr}
                inputMode="decimal"
                autoComplete="off"
                inputRef={firstRef}
                placeholder="0,00"
              />
              <button type="submit" className="btn" disabled={busy}>
                {t.cashIn}
              </button>
              <button type="button" className="btn" disabled={busy} onClick={() => cash('out')}>
                {t.cashOut}
              </button>
            </form>
          </section>
        </>
      ) : null}

      {shift ? (
        <section className="panel" aria-labelledby="totals-title">
          <h3 id="totals-title">{t.totalsTitle}</h3>
          <TotalsTable totals={shift.totals} />
        </section>
      ) : null}

      {report ? (
        <ReportDialog
          report={report}
          onClose={() => {
            setReport(null);
            // The X button was disabled while the report printed, so the dialog could not note it as
            // the focus to return to; after a Z report it is gone, and the open form comes next.
            setTimeout(() => {
              if (document.activeElement === document.body) (xRef.current ?? firstRef.current)?.focus();
            }, 0);
          }}
        />
      ) : null}

      {closing ? (
        <CloseShiftDialog
          pinSet={pinSet}
          onClose={() => setClosing(false)}
          onClosed={(r) => {
            setClosing(false);
            setReport(r);
            setNotice(t.shiftClosed(r.station.shiftNumber));
            void load();
          }}
        />
      ) : null}
    </div>
  );
}

function TotalsTable({ totals }: { totals: ShiftTotalsView }) {
  const t = useT();
  return (
    <table className="table totals-table" aria-labelledby="totals-title">
      <thead>
        <tr>
          <th scope="col">{t.totalsRow}</th>
          <th scope="col" className="num">
            {t.colCount}
          </th>
          <th scope="col" className="num">
            {t.colCash}
          </th>
          <th scope="col" className="num">
            {t.colCard}
          </th>
          <th scope="col" className="num">
            {t.colTotal}
          </th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">{t.sales}</th>
          <td className="num">{totals.sales.count}</td>
          <td className="num">
            <Money kop={totals.sales.cashKop} />
          </td>
          <td className="num">
            <Money kop={totals.sales.cardKop} />
          </td>
          <td className="num">
            <Money kop={totals.sales.totalKop} />
          </td>
        </tr>
        <tr>
          <th scope="row">{t.refunds}</th>
          <td className="num">{totals.refunds.count}</td>
          <td className="num">
            <Money kop={totals.refunds.cashKop} />
          </td>
          <td className="num">
            <Money kop={totals.refunds.cardKop} />
          </td>
          <td className="num">
            <Money kop={totals.refunds.totalKop} />
          </td>
        </tr>
        <tr>
          <th scope="row">{t.cashInTotal}</th>
          <td />
          <td className="num">
            <Money kop={totals.cashInKop} />
          </td>
          <td />
          <td />
        </tr>
        <tr>
          <th scope="row">{t.cashOutTotal}</th>
          <td />
          <td className="num">
            <Money kop={totals.cashOutKop} />
          </td>
          <td />
          <td />
        </tr>
        <tr className="row-strong">
          <th scope="row">{t.cashBalance}</th>
          <td />
          <td className="num" data-testid="cash-balance">
            <Money kop={totals.cashBalanceKop} />
          </td>
          <td />
          <td />
        </tr>
      </tbody>
    </table>
  );
}

function ReportDialog({ report, onClose }: { report: ShiftReportView; onClose: () => void }) {
  const t = useT();
  const lang = useLang();
  const d = report.device;
  const title = report.kind === 'z' ? t.reportZ : t.reportX;
  const closeRef = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      title={`${title} — ${t.kktShift} ${d.shiftNumber}`}
      onClose={onClose}
      initialFocus={closeRef}
      className="report-dialog"
    >
      <h3>{t.reportDevice}</h3>
      <Facts
        rows={[
          [
            t.sales,
            `${d.saleReceipts} · ${formatMoney(d.sales.totalKop, lang)} (${t.colCash.toLowerCase()} ${formatMoney(d.sales.cashKop, lang)}, ${t.colCard.toLowerCase()} ${formatMoney(d.sales.cardKop, lang)})`,
          ],
          [t.refunds, `${d.refundReceipts} · ${formatMoney(d.refunds.totalKop, lang)}`],
          [t.cashInTotal, formatMoney(d.cashInKop, lang)],
          [t.cashOutTotal, formatMoney(d.cashOutKop, lang)],
          [t.cashBalance, formatMoney(d.cashInDrawerKop, lang)],
          [t.reportUnsent, String(d.unsentCount)],
          ...(d.fdNumber !== null
            ? ([
                [
                  t.reportFd,
                  `${d.fdNumber}${d.fiscalSign !== null ? ` · ${t.fiscalSign} ${d.fiscalSign}` : ''}`,
                ],
              ] as [string, string][])
            : []),
          ...(d.fiscalDatetime
            ? ([[t.fiscalDatetime, formatDateTime(d.fiscalDatetime, lang)]] as [string, string][])
            : []),
        ]}
      />
      <div className="dialog-actions">
        <button type="button" ref={closeRef} className="btn btn-primary" onClick={onClose}>
          {t.closeReport}
        </button>
      </div>
    </Modal>
  );
}

function CloseShiftDialog({
  pinSet,
  onClose,
  onClosed,
}: {
  pinSet: boolean;
  onClose: () => void;
  onClosed: (r: ShiftReportView) => void;
}) {
  const t = useT();
  // Receipts the OFD has not accepted yet (waiting or in the failed-sends queue), counted as the dialog
  // opens: the manager confirms closing the shift over them before typing the PIN.
  const [unsent] = useState(() => {
    const b = useStation.getState().snapshot?.buffer;
    return { total: b ? b.queued + b.dlqSize : 0, failed: b?.dlqSize ?? 0 };
  });
  const [confirmed, setConfirmed] = useState(unsent.total === 0);
  // A manager's approval still running fills the PIN in; the manager still presses the button.
  const [pin, setPin] = useState(() => approvedPin() ?? '');
  const [pinErr, setPinErr] = useState<string | null>(null);
  const { busy, error, run } = useCommand();
  const pinRef = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!isValidPin(pin)) {
      setPinErr(t.errPinFormat);
      pinRef.current?.focus();
      return;
    }
    setPinErr(null);
    const cashierName = useCashier.getState().cashier?.name;
    const r = await run(() => call('shift.close', { pin, ...(cashierName ? { cashierName } : {}) }));
    if (!r) return;
    setPin('');
    if (r.ok) onClosed(r.value);
    else pinRef.current?.focus();
  }

  // The PIN dialog below is another dialog (not this one changed), so it opens with the focus in the PIN.
  if (!confirmed)
    return (
      <ConfirmDialog
        title={t.closeShiftTitle}
        confirmLabel={t.closeShiftAnyway}
        onConfirm={() => setConfirmed(true)}
        onCancel={onClose}
      >
        <div role="alert" className="alert alert-warning" data-testid="close-shift-unsent">
          <p>{t.closeShiftUnsent(unsent.total, unsent.failed)}</p>
        </div>
      </ConfirmDialog>
    );

  return (
    <Modal
      title={t.closeShiftTitle}
      onClose={() => {
        if (!busy) onClose();
      }}
      initialFocus={pinRef}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        {!pinSet ? (
          <div role="alert" className="alert alert-warning">
            <p>{t.closeShiftNoPin}</p>
          </div>
        ) : null}
        <PinField
          label={t.managerPin}
          value={pin}
          onValue={setPin}
          inputRef={pinRef}
          error={pinErr}
          hint={t.pinHint}
        />
        {error ? <ErrorAlert error={error} /> : null}
        <div className="dialog-actions">
          <button type="submit" className="btn btn-danger" disabled={busy}>
            {t.closeShiftConfirm}
          </button>
          <button type="button" className="btn" disabled={busy} onClick={onClose}>
            {t.cancel}
          </button>
        </div>
      </form>
    </Modal>
  );
}

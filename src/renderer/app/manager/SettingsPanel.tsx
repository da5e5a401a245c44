// The station's settings behind the PIN: KKT port and speed, OFD URL and token, buffer capacity, the
// cashier's discount limit. Only
// changed fields are sent; the OFD token is write-only (the form says whether one is set, never
// shows it). Some changes apply after a restart: the answer says so.
import { useEffect, useState, type FormEvent } from 'react';
import type { SettingsView } from '../../../shared/contract.ts';
import { formatPercent } from '../../format.ts';
import { useLang, useT } from '../../state/language.ts';
import { call } from '../../state/api.ts';
import { ErrorAlert, Notice, TextField } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import { parsePercent } from '../../../shared/discounts.ts';
import { isUsableOfdToken } from '../../../shared/ofd-token.ts';
import type { PinProps } from './session.ts';

export function SettingsPanel({ pin, onPinRejected }: PinProps) {
  const t = useT();
  const lang = useLang();
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [kkt, setKkt] = useState('');
  const [baud, setBaud] = useState('');
  const [ofdUrl, setOfdUrl] = useState('');
  const [token, setToken] = useState('');
  const [capacity, setCapacity] = useState('');
  const [discountLimit, setDiscountLimit] = useState('');
  const [errs, setErrs] = useState<{
    baud?: string;
    capacity?: string;
    discountLimit?: string;
    token?: string;
  }>({});
  const command = useCommand(onPinRejected);
  const { fail } = command;
  const [saved, setSaved] = useState<{ restartRequired: boolean } | null>(null);

  const fill = (s: SettingsView) => {
    setSettings(s);
    setKkt(s.kkt);
    setBaud(String(s.kktBaud));
    setOfdUrl(s.ofdUrl);
    setCapacity(String(s.bufferCapacity));
    setDiscountLimit(formatPercent(Math.round(s.cashierDiscountLimitPercent * 100), lang, false));
    setToken('');
  };
  useEffect(() => {
    void call('settings.get', { pin }).then((r) => {
      if (r.ok) fill(r.value);
      else fail(r.error);
    });
  }, [pin, fail]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!settings || command.busy) return;
    const next: { baud?: string; capacity?: string; discountLimit?: string; token?: string } = {};
    const baudN = /^\d+$/.test(baud.trim()) ? Number(baud.trim()) : NaN;
    const capN = /^\d+$/.test(capacity.trim()) ? Number(capacity.trim()) : NaN;
    if (!(baudN > 0)) next.baud = t.errBaud;
    if (!(capN >= 1)) next.capacity = t.errCapacity;
    const limitHundredths = parsePercent(discountLimit);
    if (limitHundredths === null || limitHundredths > 9_999) next.discountLimit = t.errDiscountLimit;
    if (token && !isUsableOfdToken(token)) next.token = t.errOfdToken;
    setErrs(next);
    if (next.baud || next.capacity || next.discountLimit || next.token || limitHundredths === null) return;
    const patch: {
      kkt?: string;
      kktBaud?: number;
      ofdUrl?: string;
      ofdToken?: string;
      bufferCapacity?: number;
      cashierDiscountLimitPercent?: number;
    } = {};
    if (kkt.trim() !== settings.kkt) patch.kkt = kkt.trim();
    if (baudN !== settings.kktBaud) patch.kktBaud = baudN;
    if (ofdUrl.trim() !== settings.ofdUrl) patch.ofdUrl = ofdUrl.trim();
    if (token) patch.ofdToken = token;
    if (capN !== settings.bufferCapacity) patch.bufferCapacity = capN;
    if (limitHundredths !== Math.round(settings.cashierDiscountLimitPercent * 100))
      patch.cashierDiscountLimitPercent = limitHundredths / 100;
    setSaved(null);
    const r = await command.run(() => call('settings.update', { pin, patch }));
    if (r?.ok) {
      fill(r.value.settings);
      setSaved({ restartRequired: r.value.restartRequired });
    }
  }

  const tokenState = settings?.ofdTokenSet ? t.ofdTokenSet : t.ofdTokenNotSet;
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h3 id="settings-title">{t.settingsTitle}</h3>
      {settings ? (
        <form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
          <TextField label={t.kktPort} value={kkt} onValue={setKkt} hint={t.kktPortHint} autoComplete="off" />
          <TextField
            label={t.kktBaud}
            value={baud}
            onValue={setBaud}
            error={errs.baud}
            inputMode="numeric"
            autoComplete="off"
          />
          <TextField label={t.ofdUrl} value={ofdUrl} onValue={setOfdUrl} type="url" autoComplete="off" />
          <TextField
            label={t.ofdToken}
            value={token}
            onValue={setToken}
            type="password"
            hint={t.ofdTokenHint(tokenState)}
            error={errs.token}
            autoComplete="new-password"
          />
          <TextField
            label={t.bufferCapacity}
            value={capacity}
            onValue={setCapacity}
            error={errs.capacity}
            inputMode="numeric"
            autoComplete="off"
          />
          <TextField
            label={t.discountLimitLabel}
            value={discountLimit}
            onValue={setDiscountLimit}
            error={errs.discountLimit}
            hint={t.discountLimitHint}
            inputMode="decimal"
            autoComplete="off"
          />
          {command.error ? <ErrorAlert error={command.error} /> : null}
          {saved ? (
            <Notice>
              {t.settingsSaved}
              {saved.restartRequired ? ` ${t.restartRequired}` : ''}
            </Notice>
          ) : null}
          <button type="submit" className="btn btn-primary" disabled={command.busy}>
            {t.saveSettings}
          </button>
        </form>
      ) : command.error ? (
        <ErrorAlert error={command.error} />
      ) : (
        <p role="status">{t.working}</p>
      )}
    </section>
  );
}

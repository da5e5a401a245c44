// The manager's form for one catalogue item: add a new one (a barcode the cashier could not find is
// filled in) or edit one picked from the list. The station checks it with the rules a CSV row and the
// ERP's item meet (core/catalog), and a refusal is shown at the field it names.
import { useEffect, useState, type FormEvent } from 'react';
import type { CatalogItemView } from '../../../shared/contract.ts';
import { UNITS } from '../../../shared/units.ts';
import { kopToInputText } from '../../format.ts';
import { call } from '../../state/api.ts';
import { useLang, useT } from '../../state/language.ts';
import { CheckField, ErrorAlert, Notice, SelectField, TextField } from '../ui.tsx';
import { useCommand } from '../useCommand.ts';
import type { PinProps } from './session.ts';

/** The rates a shop's goods carry, in menu order (10 % first after 22 %: bread, milk, children's goods). */
const CATALOG_VATS = ['vat22', 'vat10', 'vat20', 'vat0', 'none', 'vat122', 'vat110'] as const;

type Field = 'code' | 'name' | 'price' | 'vat_rate' | 'unit' | 'barcodes';

export function CatalogItemForm({
  pin,
  onPinRejected,
  editing,
  newBarcode,
  onSaved,
}: PinProps & { editing: CatalogItemView | null; newBarcode: string | null; onSaved: () => void }) {
  const t = useT();
  const lang = useLang();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [price, setPrice] = useState('');
  const [vat, setVat] = useState<string>('vat22');
  const [unit, setUnit] = useState(0);
  const [barcodes, setBarcodes] = useState('');
  const [weighed, setWeighed] = useState(false);
  const [marked, setMarked] = useState(false);
  const [freePrice, setFreePrice] = useState(false);
  const [errs, setErrs] = useState<Partial<Record<Field, string>>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const command = useCommand(onPinRejected);

  useEffect(() => {
    setCode(editing?.code ?? '');
    setName(editing?.name ?? '');
    setPrice(editing ? kopToInputText(editing.priceKop, lang) : '');
    setVat(editing?.vat ?? 'vat22');
    setUnit(editing?.unit ?? 0);
    setBarcodes(editing ? editing.barcodes.join(' | ') : (newBarcode ?? ''));
    setWeighed(editing?.weighed ?? false);
    setMarked(editing?.marked ?? false);
    setFreePrice(editing?.freePrice ?? false);
    setErrs({});
  }, [editing, newBarcode, lang]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(null);
    const item = {
      code,
      name,
      price: price.replace(/\s/g, '').replace(',', '.'),
      vat_rate: vat,
      unit,
      barcodes: barcodes.split(/[|\s]+/).filter(Boolean),
      weighed,
      marked,
      price_editable: freePrice,
    };
    const r = await command.run(() => call('catalog.upsert', { pin, item }));
    if (!r) return;
    if (!r.ok) {
      const next: Partial<Record<Field, string>> = {};
      for (const d of Array.isArray(r.error.details)
        ? (r.error.details as { field: string; message: string }[])
        : [])
        next[d.field.split('[')[0] as Field] ??= d.message;
      setErrs(next);
      return;
    }
    setErrs({});
    setSaved(t.catalogSaved(name.trim(), r.value.inserted > 0));
    onSaved();
  }

  return (
    <form
      className="settings-form catalog-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="catalog-form-title"
    >
      <h4 id="catalog-form-title">{editing ? t.catalogEdit(editing.name) : t.catalogNew}</h4>
      <TextField
        label={t.catalogCode}
        value={code}
        onValue={setCode}
        error={errs.code}
        autoComplete="off"
        readOnly={editing !== null}
      />
      <TextField
        label={t.catalogName}
        value={name}
        onValue={setName}
        error={errs.name}
        autoComplete="off"
        maxLength={200}
      />
      <TextField
        label={t.catalogPrice}
        value={price}
        onValue={setPrice}
        error={errs.price}
        inputMode="decimal"
        autoComplete="off"
      />
      <SelectField
        label={t.catalogVat}
        value={vat}
        onValue={setVat}
        options={CATALOG_VATS.map((c) => ({ value: c, label: t.vatOptions[c] ?? c }))}
      />
      <SelectField
        label={t.catalogUnit}
        value={unit}
        onValue={setUnit}
        options={UNITS.map((u) => ({ value: u.code, label: u.short }))}
      />
      <TextField
        label={t.catalogBarcodes}
        value={barcodes}
        onValue={setBarcodes}
        error={errs.barcodes}
        hint={t.catalogBarcodesHint}
        autoComplete="off"
      />
      <CheckField label={t.catalogWeighed} checked={weighed} onChecked={setWeighed} />
      <CheckField label={t.catalogMarked} checked={marked} onChecked={setMarked} />
      <CheckField label={t.catalogFreePrice} checked={freePrice} onChecked={setFreePrice} />
      {command.error && !(errs.code || errs.name || errs.price || errs.barcodes) ? (
        <ErrorAlert error={command.error} />
      ) : null}
      {saved ? <Notice>{saved}</Notice> : null}
      <button type="submit" className="btn btn-primary" disabled={command.busy}>
        {t.catalogSave}
      </button>
    </form>
  );
}

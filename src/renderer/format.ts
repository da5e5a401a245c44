// Pure formatting and parsing for the renderer: money (integer kopecks), per cents (hundredths),
// quantities (thousandths), times and Russian plurals. No DOM, no float arithmetic on money: typed amounts are parsed as decimal
// text. The money rules shared with the core (limits, line-total rounding, the REST body's amount text)
// are in src/shared/money.ts.
import { formatPercent as percentText } from '../shared/discounts.ts';
import { MAX_KOPECKS, MAX_QUANTITY_MILLI, formatKopecks } from '../shared/money.ts';
import { UNIT_KG, unitShort } from '../shared/units.ts';

export type Lang = 'ru' | 'en';

function groupDigits(digits: string, sep: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += sep;
    out += digits[i];
  }
  return out;
}

/** Kopecks → "1 234,50 ₽" (ru) or "1,234.50 ₽" (en). Plain spaces: the UI keeps amounts on one line with CSS. */
export function formatMoney(kop: number, lang: Lang = 'ru', withSign = true): string {
  const negative = kop < 0;
  const abs = Math.abs(Math.trunc(kop));
  const roubles = groupDigits(String(Math.trunc(abs / 100)), lang === 'ru' ? ' ' : ',');
  const kopecks = String(abs % 100).padStart(2, '0');
  const text = `${negative ? '-' : ''}${roubles}${lang === 'ru' ? ',' : '.'}${kopecks}`;
  return withSign ? `${text} ₽` : text;
}

/** Kopecks → what a cashier would type into an amount field: "1234,50" (ru) / "1234.50" (en). */
export function kopToInputText(kop: number, lang: Lang = 'ru'): string {
  const text = formatKopecks(kop);
  return lang === 'ru' ? text.replace('.', ',') : text;
}

/**
 * Normalises typed decimal text: trims, drops spaces (also no-break and thin ones) and a trailing ₽ or
 * "руб"; a comma or a dot is the decimal separator; when both occur the last one is the separator and the
 * other one groups thousands ("1,234.50", "1.234,50").
 */
function normaliseDecimal(text: string): string | null {
  let s = text
    .trim()
    .replace(/(₽|руб\.?|р\.|rub)$/i, '')
    .replace(/[\s\u00a0\u202f\u2009]/g, '');
  if (!s) return null;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    const decimal = lastComma > lastDot ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    // Grouping only counts as grouping when it is real: 1–3 digits, then groups of exactly three
    // ("12,50." or "1,5.3" are typos, not 1250 or 15.3 — refused rather than guessed).
    const [whole = '', ...rest] = s.split(decimal);
    if (rest.length !== 1 || !new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(whole)) return null;
    s = `${whole.split(group).join('')}.${rest[0]}`;
  } else {
    s = s.replace(',', '.');
  }
  return s;
}

/** A duration in seconds for the words ("… за 0,5 с" / "within 0.5 s"): a tenth below one second, else whole. */
export function formatSeconds(ms: number, lang: Lang): string {
  const text = String(Number((ms / 1000).toFixed(ms < 1000 ? 1 : 0)));
  return lang === 'ru' ? text.replace('.', ',') : text;
}

/**
 * Hundredths of a per cent → "12,5 %" (ru) / "12.5 %" (en), no trailing zeros; without the sign it is
 * what a cashier would type into a per cent field ("12,5"). The digits are the core's (shared/discounts.ts,
 * which writes the REST body's and the log's "12.5"); only the decimal separator is the language's.
 */
export function formatPercent(hundredths: number, lang: Lang = 'ru', withSign = true): string {
  const text = lang === 'ru' ? percentText(hundredths).replace('.', ',') : percentText(hundredths);
  return withSign ? `${text} %` : text;
}

/** Typed roubles ("12", "12,5", "1 234.50", "99,90 ₽") → kopecks, or null when it is not such an amount. */
export function parseMoney(text: string): number | null {
  const s = normaliseDecimal(text);
  if (s === null) return null;
  const m = /^(\d{1,8})(?:\.(\d{0,2}))?$/.exec(s) ?? /^()\.(\d{1,2})$/.exec(s);
  if (!m) return null;
  const kop = Number(m[1] || '0') * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return kop <= MAX_KOPECKS ? kop : null;
}

/** Typed quantity ("1", "0,25", "1.5") → thousandths; null unless it is positive with at most 3 decimals. */
export function parseQuantity(text: string): number | null {
  const s = normaliseDecimal(text);
  if (s === null) return null;
  const m = /^(\d{1,6})(?:\.(\d{0,3}))?$/.exec(s) ?? /^()\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const milli = Number(m[1] || '0') * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  return milli > 0 && milli <= MAX_QUANTITY_MILLI ? milli : null;
}

/** Thousandths → "1", "0,25", "1,5" (ru) / "1.5" (en): no trailing zeros. */
export function formatQuantity(milli: number, lang: Lang = 'ru'): string {
  const whole = Math.trunc(milli / 1000);
  const frac = String(Math.abs(milli % 1000))
    .padStart(3, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}${lang === 'ru' ? ',' : '.'}${frac}` : String(whole);
}

/**
 * A line's quantity with its unit: pieces as a plain number; a weighed line (kg) always with three
 * decimals, as the scale weighs and the receipt prints it ("0,750 кг"); other units with their short name.
 */
export function formatLineQuantity(milli: number, unit: number | undefined, lang: Lang = 'ru'): string {
  if (unit === undefined) return formatQuantity(milli, lang);
  if (unit === UNIT_KG) {
    const frac = String(Math.abs(milli % 1000)).padStart(3, '0');
    return `${Math.trunc(milli / 1000)}${lang === 'ru' ? ',' : '.'}${frac} ${unitShort(unit)}`;
  }
  return `${formatQuantity(milli, lang)} ${unitShort(unit)}`;
}

/** Thousandths → "1.000"-style plain text for the REST body (3 decimals, dot). */
export function milliToQuantityText(milli: number): string {
  return `${Math.trunc(milli / 1000)}.${String(milli % 1000).padStart(3, '0')}`;
}

/** Change for a cash payment: received − due, never negative. */
export function changeKop(receivedKop: number, dueKop: number): number {
  return Math.max(0, receivedKop - dueKop);
}

// ---------------------------------------------------------------------------------------------
// Time

const LOCALES: Record<Lang, string> = { ru: 'ru-RU', en: 'en-GB' };

function toDate(value: string | number | Date): Date | null {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "14:05:09" */
export function formatTime(value: string | number | Date | null | undefined, lang: Lang = 'ru'): string {
  if (value === null || value === undefined) return '—';
  const d = toDate(value);
  if (!d) return '—';
  return new Intl.DateTimeFormat(LOCALES[lang], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(d);
}

/** "28.11.2025, 14:05" (ru) / "28/11/2025, 14:05" (en) */
export function formatDateTime(value: string | number | Date | null | undefined, lang: Lang = 'ru'): string {
  if (value === null || value === undefined) return '—';
  const d = toDate(value);
  if (!d) return '—';
  return new Intl.DateTimeFormat(LOCALES[lang], {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

/** A calendar date "YYYY-MM-DD" → "10.12.2026" (ru) / "10/12/2026" (en); "—" for none. */
export function formatDate(ymd: string | null | undefined, lang: Lang = 'ru'): string {
  const m = ymd ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd) : null;
  if (!m) return '—';
  return lang === 'ru' ? `${m[3]}.${m[2]}.${m[1]}` : `${m[3]}/${m[2]}/${m[1]}`;
}

/** Whole minutes from `iso` to `now` (never negative), or null. */
export function minutesSince(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.floor((now - t) / 60_000));
}

/** Whole days from `iso` to `now` (never negative), or null. */
export function daysSince(iso: string | null | undefined, now: number): number | null {
  const min = minutesSince(iso, now);
  return min === null ? null : Math.floor(min / 1440);
}

/** Minutes → "45 мин", "3 ч 05 мин", "2 д 4 ч" (ru) / "45 min", "3 h 05 min", "2 d 4 h" (en). */
export function formatDuration(minutes: number, lang: Lang = 'ru'): string {
  const m = Math.max(0, Math.floor(minutes));
  const u = lang === 'ru' ? { d: 'д', h: 'ч', m: 'мин' } : { d: 'd', h: 'h', m: 'min' };
  if (m < 60) return `${m} ${u.m}`;
  if (m < 1440) return `${Math.floor(m / 60)} ${u.h} ${String(m % 60).padStart(2, '0')} ${u.m}`;
  return `${Math.floor(m / 1440)} ${u.d} ${Math.floor((m % 1440) / 60)} ${u.h}`;
}

/** Russian plural form: plural(1, ['чек','чека','чеков']) → 'чек'; 2 → 'чека'; 5, 11, 12 → 'чеков'. */
export function pluralRu(n: number, forms: readonly [string, string, string]): string {
  const abs = Math.abs(Math.trunc(n));
  const mod10 = abs % 10;
  const mod100 = abs % 100;
  if (mod10 === 1 && mod100 !== 11) return forms[0];
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return forms[1];
  return forms[2];
}

/** English plural: 'receipt' / 'receipts'. */
export function pluralEn(n: number, one: string, many: string): string {
  return Math.abs(n) === 1 ? one : many;
}

/** "1 234" (ru) / "1,234" (en) for counts. */
export function formatCount(n: number, lang: Lang = 'ru'): string {
  const negative = n < 0;
  return `${negative ? '-' : ''}${groupDigits(String(Math.abs(Math.trunc(n))), lang === 'ru' ? ' ' : ',')}`;
}

// Units of measure of a receipt line: FFD 1.2 tag 2108 («мера количества предмета расчёта»; codes from
// the vendor's javapos TLVTags.addList2108, docs/kkt.md). One table for the catalogue, the receipt, the
// REST API and the screens, so a code means the same unit everywhere.
// Browser-safe: the renderer shows the short names.

export interface Unit {
  /** The tag 2108 value. */
  code: number;
  /** The short name printed and shown beside a quantity. */
  short: string;
  /** Spellings accepted in a CSV file or an API call besides the code (lower case). */
  aliases: readonly string[];
}

export const UNITS: readonly Unit[] = [
  { code: 0, short: 'шт', aliases: ['шт.', 'pcs', 'piece', 'pc'] },
  { code: 10, short: 'г', aliases: ['гр', 'g'] },
  { code: 11, short: 'кг', aliases: ['kg'] },
  { code: 12, short: 'т', aliases: ['t'] },
  { code: 20, short: 'см', aliases: ['cm'] },
  { code: 21, short: 'дм', aliases: ['dm'] },
  { code: 22, short: 'м', aliases: ['m'] },
  { code: 30, short: 'кв.см', aliases: ['см2', 'cm2'] },
  { code: 31, short: 'кв.дм', aliases: ['дм2', 'dm2'] },
  { code: 32, short: 'кв.м', aliases: ['м2', 'm2'] },
  { code: 40, short: 'мл', aliases: ['ml'] },
  { code: 41, short: 'л', aliases: ['l'] },
  { code: 42, short: 'куб.м', aliases: ['м3', 'm3'] },
  { code: 50, short: 'кВт·ч', aliases: ['квт*ч', 'квтч', 'kwh'] },
  { code: 51, short: 'Гкал', aliases: ['gcal'] },
  { code: 70, short: 'сутки', aliases: ['сут', 'day'] },
  { code: 71, short: 'час', aliases: ['ч', 'h', 'hour'] },
  { code: 72, short: 'мин', aliases: ['min'] },
  { code: 73, short: 'с', aliases: ['сек', 's'] },
  { code: 80, short: 'Кбайт', aliases: ['кб', 'kb'] },
  { code: 81, short: 'Мбайт', aliases: ['мб', 'mb'] },
  { code: 82, short: 'Гбайт', aliases: ['гб', 'gb'] },
  { code: 83, short: 'Тбайт', aliases: ['тб', 'tb'] },
  { code: 255, short: 'иные', aliases: ['прочие', 'other'] },
];

/** The unit of a line when none is given: a piece. */
export const UNIT_PIECE = 0;
/** Kilograms: a weighed line, sent with three decimals of quantity. */
export const UNIT_KG = 11;

export const UNIT_CODES: readonly number[] = UNITS.map((u) => u.code);

const BY_CODE = new Map(UNITS.map((u) => [u.code, u]));
const BY_TEXT = new Map<string, number>(
  UNITS.flatMap((u) => [u.short.toLowerCase(), ...u.aliases].map((a) => [a, u.code] as [string, number])),
);

export function unitByCode(code: number): Unit | undefined {
  return BY_CODE.get(code);
}

/** The short name of a unit code ('шт' for an unknown one: it is what a line without a unit means). */
export function unitShort(code: number): string {
  return BY_CODE.get(code)?.short ?? 'шт';
}

/** A unit from its code ("11", 11) or its name ("кг", "KG", "kg"); '' is a piece; null when it is neither. */
export function parseUnit(value: unknown): number | null {
  if (typeof value === 'number') return BY_CODE.has(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim().toLowerCase();
  if (text === '') return 0;
  if (/^\d{1,3}$/.test(text)) return BY_CODE.has(Number(text)) ? Number(text) : null;
  return BY_TEXT.get(text) ?? null;
}

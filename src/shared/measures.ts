// Tag 2108 «мера количества предмета расчёта» (FFD 1.2): the codes and the short names a receipt line
// may name its unit by. Values from the vendor's javapos TLVTags.addList2108 (docs/kkt.md, FFD 1.2).
// In src/shared because the till's screens show the same names the API accepts.

export interface Measure {
  code: number;
  /** The short name printed after the quantity, and accepted by the API. */
  name: string;
  /** Other spellings the API accepts for the same unit. */
  aliases?: readonly string[];
}

export const MEASURES: readonly Measure[] = [
  { code: 0, name: 'шт', aliases: ['pcs', 'piece', 'шт.'] },
  { code: 10, name: 'г', aliases: ['g', 'гр'] },
  { code: 11, name: 'кг', aliases: ['kg'] },
  { code: 12, name: 'т', aliases: ['t'] },
  { code: 20, name: 'см', aliases: ['cm'] },
  { code: 21, name: 'дм', aliases: ['dm'] },
  { code: 22, name: 'м', aliases: ['m'] },
  { code: 30, name: 'кв. см', aliases: ['см2', 'cm2'] },
  { code: 31, name: 'кв. дм', aliases: ['дм2', 'dm2'] },
  { code: 32, name: 'кв. м', aliases: ['м2', 'm2'] },
  { code: 40, name: 'мл', aliases: ['ml'] },
  { code: 41, name: 'л', aliases: ['l'] },
  { code: 42, name: 'куб. м', aliases: ['м3', 'm3'] },
  { code: 50, name: 'кВт·ч', aliases: ['квт*ч', 'квт.ч', 'kwh'] },
  { code: 51, name: 'Гкал', aliases: ['gcal'] },
  { code: 70, name: 'сутки', aliases: ['day'] },
  { code: 71, name: 'час', aliases: ['ч', 'h'] },
  { code: 72, name: 'мин', aliases: ['min'] },
  { code: 73, name: 'с', aliases: ['s'] },
  { code: 80, name: 'Кбайт', aliases: ['kb'] },
  { code: 81, name: 'Мбайт', aliases: ['mb'] },
  { code: 82, name: 'Гбайт', aliases: ['gb'] },
  { code: 83, name: 'Тбайт', aliases: ['tb'] },
  { code: 255, name: 'иные', aliases: ['other'] },
];

/** The unit of a line when none is given: a piece. */
export const DEFAULT_MEASURE = 0;
/** Kilograms: a weighed line, sent with three decimals of quantity. */
export const MEASURE_KG = 11;

const byName = new Map<string, number>();
for (const m of MEASURES) for (const n of [m.name, ...(m.aliases ?? [])]) byName.set(n.toLowerCase(), m.code);

/** A 2108 code from a code (0, 11, "41") or a name ("шт", "кг", "л"); null when no such unit exists. */
export function parseMeasure(value: number | string): number | null {
  if (typeof value === 'number')
    return Number.isInteger(value) && MEASURES.some((m) => m.code === value) ? value : null;
  const text = value.trim().toLowerCase();
  if (/^\d{1,3}$/.test(text)) return parseMeasure(Number(text));
  return byName.get(text) ?? null;
}

/** The short name of a 2108 code ("шт" for an unknown one, which validation never lets through). */
export function measureName(code: number): string {
  return MEASURES.find((m) => m.code === code)?.name ?? 'шт';
}

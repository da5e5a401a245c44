// Tax systems (применяемая система налогообложения): the names the station's configuration, the REST
// API and the emulator CLI use, and the bit each has in the FN's bitmasks (tag 1062 = the systems the KKT
// is registered for, several bits; tag 1055 = the one of a receipt, exactly one bit; FFD table 6). One
// place for the names, the bits and the rule which system a receipt is issued under.

export const TAX_SYSTEMS = ['osn', 'usn_income', 'usn_income_expense', 'esn', 'patent'] as const;
export type TaxSystem = (typeof TAX_SYSTEMS)[number];

/** Tag 1055/1062 bits. ЕНВД (0x08) was abolished in 2021: a KKT registered for it shows no name for it. */
export const TAX_SYSTEM_BITS: Readonly<Record<TaxSystem, number>> = {
  osn: 0x01, // ОСН
  usn_income: 0x02, // УСН доход
  usn_income_expense: 0x04, // УСН доход − расход
  esn: 0x10, // ЕСХН
  patent: 0x20, // ПСН
};

/** Russian short names as printed on receipts. */
export const TAX_SYSTEM_LABELS_RU: Readonly<Record<TaxSystem, string>> = {
  osn: 'ОСН',
  usn_income: 'УСН доход',
  usn_income_expense: 'УСН доход − расход',
  esn: 'ЕСХН',
  patent: 'ПСН',
};

export function isTaxSystem(v: unknown): v is TaxSystem {
  return (TAX_SYSTEMS as readonly unknown[]).includes(v);
}

/** The systems of a tag 1062 bitmask, in the order of TAX_SYSTEMS. */
export function taxSystemsOfMask(mask: number): TaxSystem[] {
  return TAX_SYSTEMS.filter((s) => (mask & TAX_SYSTEM_BITS[s]) !== 0);
}

export function maskOfTaxSystems(systems: readonly TaxSystem[]): number {
  return systems.reduce((m, s) => m | TAX_SYSTEM_BITS[s], 0);
}

/**
 * A comma-separated list such as "usn_income,patent" (the emulator's --tax-systems, the in-process
 * emulator's setting). Throws an Error naming the bad value and the allowed ones.
 */
export function parseTaxSystemList(text: string): TaxSystem[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new Error(`no tax system given; allowed: ${TAX_SYSTEMS.join(', ')}`);
  for (const n of names)
    if (!isTaxSystem(n)) throw new Error(`unknown tax system "${n}"; allowed: ${TAX_SYSTEMS.join(', ')}`);
  return [...new Set(names as TaxSystem[])];
}

/** Which system a receipt is issued under: the configured one, or the only registered one. */
export type TaxSystemChoice =
  | { ok: true; system: TaxSystem; source: 'configured' | 'registration' }
  | { ok: false; problem: 'mismatch' | 'not_chosen' | 'none_registered'; registered: TaxSystem[] };

/**
 * The rule (docs/kkt.md «Tax system»): a configured system must be one the KKT is registered for; with
 * none configured, the only registered one is used; several registered and none configured is not
 * guessed — sales wait until the manager configures one, because the wrong system makes every receipt
 * a wrong fiscal document.
 */
export function chooseTaxSystem(
  configured: TaxSystem | null,
  registered: readonly TaxSystem[],
): TaxSystemChoice {
  if (registered.length === 0) return { ok: false, problem: 'none_registered', registered: [] };
  if (configured !== null)
    return registered.includes(configured)
      ? { ok: true, system: configured, source: 'configured' }
      : { ok: false, problem: 'mismatch', registered: [...registered] };
  if (registered.length === 1) return { ok: true, system: registered[0]!, source: 'registration' };
  return { ok: false, problem: 'not_chosen', registered: [...registered] };
}

/** The problem in words (English, for the API, the log and support; the UI has its own Russian text). */
export function taxSystemProblemText(
  problem: Extract<TaxSystemChoice, { ok: false }>['problem'],
  configured: TaxSystem | null,
  registered: readonly TaxSystem[],
): string {
  const list = registered.join(', ');
  switch (problem) {
    case 'mismatch':
      return `The configured tax system ${configured} (STATION_TAX_SYSTEM / taxSystem) is not one the KKT is registered for (${list}): sales are refused. Configure one of ${list}, or have the KKT re-registered.`;
    case 'not_chosen':
      return `The KKT is registered for several tax systems (${list}) and none is configured: sales are refused until one is set (STATION_TAX_SYSTEM / taxSystem).`;
    case 'none_registered':
      return 'The KKT reports no tax system in its registration (FF09h): it cannot issue receipts. Check its registration with the service engineer.';
  }
}

// Who or what made a journalled change: one of these codes, or a person's name (a cashier, a manager).
// The journal stores the code in its entry's `by` parameter and the UI words it (i18n/journal-ru.ts,
// journal-en.ts); entries written before the codes hold English free text and show it as it is.
export const BY = {
  /** The till's own screen (the cashier's button or key). */
  till: 'till',
  /** The manager's panel at the till, after the manager PIN. */
  manager: 'manager',
  /** The manager PIN entered at the till for this one action. */
  managerPinTill: 'manager_pin_till',
  /** The REST API (an ERP or a shop system). */
  rest: 'rest',
  /** The REST API with the manager PIN (X-Manager-Pin). */
  managerPinRest: 'manager_pin_rest',
  /** The station's first start: the first manager made from the first PIN. */
  firstStart: 'first_start',
  /** The command line (npm run catalog …). */
  cli: 'cli',
} as const;

export type ByCode = (typeof BY)[keyof typeof BY];

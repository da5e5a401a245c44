// A receipt's states and what they mean, once for the core, the REST API and the renderer. Every state
// falls in exactly one group, and the groups are what callers decide on:
//   printable  accepted, print_failed   stored; the KKT surely did not fiscalise it: print it (again) or void it
//   printing   printing                 sent to the KKT, outcome unknown until the KKT's archive is asked
//   fiscalised printed, synced, dead    a fiscal document exists: never print it again; only a refund undoes it
//   voided     voided                   abandoned before it was printed
// `dead` is fiscalised: the OFD refused or never took it, but the KKT printed it (the old REST copy of
// this rule left it out and answered a replay of such a sale with 202 "not confirmed yet").
// Which state may follow which is the receipt store's transition table. Browser-safe: no node: imports.

export const RECEIPT_STATES = [
  'accepted',
  'printing',
  'printed',
  'synced',
  'print_failed',
  'dead',
  'voided',
] as const;
export type ReceiptState = (typeof RECEIPT_STATES)[number];

/** The KKT printed it: a fiscal document exists, whatever the OFD made of it since. */
export const FISCALISED_STATES: readonly ReceiptState[] = ['printed', 'synced', 'dead'];
const PRINTABLE_STATES: readonly ReceiptState[] = ['accepted', 'print_failed'];

export function isFiscalised(state: ReceiptState): boolean {
  return FISCALISED_STATES.includes(state);
}

/** Stored but surely not fiscalised: it may be printed (again) or voided. */
export function isPrintable(state: ReceiptState): boolean {
  return PRINTABLE_STATES.includes(state);
}

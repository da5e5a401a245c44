// The page has no way to the station at all, so the till cannot start: main.tsx shows this error in
// place of the till. Its words are for the cashier (Russian, the till's language before any setting
// is read): what happened and what to do about it.
export class TransportUnavailableError extends Error {
  override readonly name = 'TransportUnavailableError';

  constructor(
    readonly title: string,
    message: string,
    /** What the cashier should do. */
    readonly advice: string,
  ) {
    super(message);
  }
}

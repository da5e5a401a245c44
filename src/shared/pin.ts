// The manager PIN rule, once for the core (which refuses to store another PIN) and the renderer (which
// says so before asking): 4 to 8 digits. Five wrong tries lock it (src/main/app/manager-pin.ts), which is
// what makes four digits enough. Browser-safe: no node: imports.

export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 8;

const PIN = new RegExp(`^\\d{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}$`);

/** A manager PIN is 4–8 digits. */
export function isValidPin(pin: string): boolean {
  return PIN.test(pin);
}

// The buyer's contact for an electronic receipt (tag 1008, «телефон или электронный адрес покупателя»):
// a Russian mobile number as +7XXXXXXXXXX, or an e-mail address. One rule for the payment dialog and the
// REST API, so the till refuses exactly what the API would. Browser-safe.

/** Tag 1008 is a string of at most 64 characters (FFD 1.2 table 15). */
export const BUYER_CONTACT_MAX = 64;

// Deliberately plain: one @, no spaces, a dot in the domain. The FN accepts any text; the OFD mails to it.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A phone as the OFD wants it, +7 and ten digits, from what a cashier or an ERP types: 8 (916) 123-45-67,
 * +7 916 123 45 67, 79161234567, 9161234567. Null when it is no Russian number.
 */
export function normaliseBuyerPhone(text: string): string | null {
  const trimmed = text.trim();
  if (!/^\+?[\d\s()-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) return digits.length === 11 && digits.startsWith('7') ? `+${digits}` : null;
  if (digits.length === 11 && (digits.startsWith('8') || digits.startsWith('7')))
    return `+7${digits.slice(1)}`;
  if (digits.length === 10 && digits.startsWith('9')) return `+7${digits}`;
  return null;
}

export function isBuyerEmail(text: string): boolean {
  return text.length <= BUYER_CONTACT_MAX && EMAIL.test(text);
}

/** What the cashier typed in the one field of the payment dialog: a phone, an e-mail, or null when neither. */
export function parseBuyerContact(text: string): { kind: 'phone' | 'email'; value: string } | null {
  const t = text.trim();
  if (t.includes('@')) return isBuyerEmail(t) ? { kind: 'email', value: t } : null;
  const phone = normaliseBuyerPhone(t);
  return phone ? { kind: 'phone', value: phone } : null;
}

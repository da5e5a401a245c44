// A cashier as the station knows one, and the rule for a new one: a name printed as tag 1021, an
// optional person's INN (tag 1203, check digits), the role and a PIN. The REST schema and the IPC
// command take this schema as it is, so every door checks the same thing.
import { z } from 'zod';
import { printableText } from '../fiscal/receipt-request.ts';
import { isValidPersonInn } from '../../../shared/inn.ts';
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS, isValidPin } from '../../../shared/pin.ts';

export const CASHIER_ROLES = ['cashier', 'manager'] as const;
export type CashierRole = (typeof CASHIER_ROLES)[number];

export interface Cashier {
  id: number;
  name: string;
  inn: string | null;
  role: CashierRole;
  createdAt: string;
}

export const cashierInn = z.string({ error: 'inn must be text: 12 digits' }).trim().refine(isValidPersonInn, {
  error: "inn must be a person's INN: 12 digits with the right check digits",
});

export const cashierPin = z
  .string({ error: `pin must be text: ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits` })
  .refine(isValidPin, { error: `pin must be ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits` });

export const cashierInputSchema = z.object(
  {
    name: printableText('name', 64, 'name is required: the cashier as printed on receipts').meta({
      description: 'Printed on every receipt as tag 1021; unique (any case)',
    }),
    inn: cashierInn.optional().meta({ description: "The cashier's INN, printed as tag 1203; 12 digits" }),
    role: z.enum(CASHIER_ROLES, { error: 'role must be cashier or manager' }),
    pin: cashierPin.meta({ description: `${PIN_MIN_DIGITS}–${PIN_MAX_DIGITS} digits; stored hashed only` }),
  },
  { error: 'the body must be a JSON object: {"name", "inn"?, "role", "pin"}' },
);
export type CashierInput = z.output<typeof cashierInputSchema>;

/** Names are unique whatever the case and spacing: «Иванова  А.» and «иванова а.» are one person. */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('ru');
}

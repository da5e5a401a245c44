// The cashiers for an ERP or a setup script: list them, add one. Until the station has a manager a new
// cashier needs only the API token (the station's first start); after that a manager's PIN in
// X-Manager-Pin, as at the till. No PIN hash is ever answered.
import type { z } from 'zod';
import type { Station } from '../core/station.ts';
import type { Cashier } from '../core/cashiers/cashier.ts';
import { ManagerPin } from '../app/manager-pin.ts';
import { sendJson } from './http-util.ts';
import { operation, validate, type Operation } from './operations.ts';
import { cashierCreateBody, cashierListSchema, cashierSchema } from './schemas.ts';
import { BY } from '../../shared/journal-by.ts';

export function cashierView(c: Cashier): z.input<typeof cashierSchema> {
  return { id: c.id, name: c.name, inn: c.inn, role: c.role, created_at: c.createdAt };
}

export function cashierOperations(station: Station): Operation[] {
  const cashiers = station.cashiers;
  return [
    operation({
      method: 'GET',
      path: '/v1/cashiers',
      summary: 'The cashiers who may sign in, by name (no PINs)',
      responses: { 200: { description: 'The cashiers', schema: cashierListSchema } },
      async handler({ res }) {
        sendJson(res, 200, { cashiers: cashiers.list().map(cashierView) });
      },
    }),
    operation({
      method: 'POST',
      path: '/v1/cashiers',
      summary: 'Add a cashier or a manager (a name printed on receipts, an optional INN, a PIN)',
      managerPin: {
        description:
          "A manager's PIN: needed once the station has a manager (before that, the API token is enough). Missing is 401 pin_required, wrong 403 pin_wrong, too many 429 pin_locked",
      },
      body: { schema: cashierCreateBody, required: true, validate: false },
      responses: {
        201: { description: 'Added', schema: cashierSchema },
        409: { description: 'cashier_exists: the name is taken (any case); nothing stored' },
        422: { description: 'A field is wrong (details name body.name, body.inn, body.role, body.pin)' },
      },
      async handler({ res, body, managerPin }) {
        const input = validate(cashierCreateBody, body, 'body');
        if (cashiers.hasManager()) await new ManagerPin(cashiers).verify(managerPin);
        sendJson(res, 201, cashierView(await cashiers.create(input, BY.rest)));
      },
    }),
  ];
}

// The cash drawer (the manager opens it: X-Manager-Pin) and «Копия чека» (a non-fiscal copy of a printed
// receipt). Neither makes a fiscal document (docs/kkt.md «Cash drawer», «Receipt copy»).
import type { Station } from '../core/station.ts';
import { ManagerPin } from '../app/manager-pin.ts';
import { sendJson } from './http-util.ts';
import { operation, type Operation } from './operations.ts';
import { drawerOpenedSchema, emptyBody, receiptCopyBody, receiptSchema } from './schemas.ts';
import { receiptView } from './views.ts';
import { BY } from '../../shared/journal-by.ts';

export function drawerOperations(station: Station): Operation[] {
  return [
    operation({
      method: 'POST',
      path: '/v1/kkt/drawer/open',
      summary: 'Open the cash drawer (28h); a manager action: X-Manager-Pin',
      managerPin: { description: 'Required: the manager PIN, as for every manager action at the till' },
      body: { schema: emptyBody },
      responses: {
        200: { description: 'Opened', schema: drawerOpenedSchema },
        401: { description: 'Missing or wrong bearer token, or pin_required: send X-Manager-Pin' },
        403: { description: 'pin_wrong: the X-Manager-Pin is not the manager PIN' },
        409: { description: 'drawer_disabled: this till has no cash drawer (cashDrawer: none)' },
        429: { description: 'pin_locked: too many wrong manager PINs' },
        503: { description: 'The KKT refused or did not answer: the drawer did not open' },
      },
      async handler({ res, managerPin }) {
        await new ManagerPin(station.cashiers).verify(managerPin);
        await station.drawer.openForManager(BY.managerPinRest);
        sendJson(res, 200, { opened: true });
      },
    }),
    operation({
      method: 'POST',
      path: '/v1/kkt/copy',
      summary:
        '«Копия чека»: print a non-fiscal copy of a printed receipt (the last one unless receipt_id names one)',
      body: { schema: receiptCopyBody },
      responses: {
        200: { description: 'The copy was printed; the receipt copied', schema: receiptSchema },
        404: {
          description:
            'not_found: no receipt with this receipt_id; no_receipt_to_copy: no printed receipt among the last 50',
        },
        409: { description: 'copy_of_unprinted: the receipt was never printed, it has no copy' },
        503: {
          description: 'The KKT refused or did not answer: no copy printed (nothing fiscal either way)',
        },
      },
      async handler({ res, body }) {
        const r = await station.copies.print(body.receipt_id, BY.rest);
        sendJson(res, 200, receiptView(r, station.worker.isSending(r.id)));
      },
    }),
  ];
}

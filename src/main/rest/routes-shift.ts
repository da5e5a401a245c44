// The shift and the cash drawer: state, open (with its report), X report, close (Z report), cash in/out.
import type { z } from 'zod';
import type { ShiftReport } from '../core/shift/shift-service.ts';
import type { Station } from '../core/station.ts';
import { StationError } from '../../shared/errors.ts';
import { kopecksToRoubles, roublesToKopecks } from '../../shared/money.ts';
import { sendJson } from './http-util.ts';
import { operation, type Operation } from './operations.ts';
import {
  cashAnswerSchema,
  cashBody,
  cashierBody,
  emptyBody,
  shiftReportSchema,
  shiftStateSchema,
} from './schemas.ts';
import { shiftReportView, shiftStateView } from './views.ts';

const kkt503 = { description: 'The KKT refused or did not answer' };

/**
 * The X and the Z report: the same answer and refusals, told apart by path, summary, what the body
 * carries (the Z report names the cashier who closes) and what the shift service prints.
 */
function reportOperation<B extends z.ZodType>(report: {
  path: string;
  summary: string;
  body: B;
  print: (body: z.output<B>) => Promise<ShiftReport>;
}): Operation {
  return operation({
    method: 'POST',
    path: report.path,
    summary: report.summary,
    body: { schema: report.body },
    responses: {
      200: { description: 'Report', schema: shiftReportSchema },
      409: { description: 'No open shift' },
      503: kkt503,
    },
    async handler({ res, body }) {
      sendJson(res, 200, shiftReportView(await report.print(body)));
    },
  });
}

export function shiftOperations(station: Station): Operation[] {
  const amountOf = (amount: number | string) => {
    const kop = roublesToKopecks(amount);
    if (kop === null || kop === 0)
      throw new StationError(
        'validation_error',
        422,
        'amount must be a positive amount in roubles with at most 2 decimals, e.g. 500.00',
        [{ field: 'amount', message: 'must be a positive amount in roubles with at most 2 decimals' }],
      );
    return kop;
  };

  const ops: Operation[] = [
    operation({
      method: 'GET',
      path: '/v1/kkt/shift',
      summary: "The shift: open, number, age, expired (24 h rule), the station's totals, the KKT status",
      responses: { 200: { description: 'Shift state', schema: shiftStateSchema }, 503: kkt503 },
      async handler({ res }) {
        sendJson(res, 200, shiftStateView(await station.shifts.state()));
      },
    }),
    operation({
      method: 'POST',
      path: '/v1/kkt/shift/open',
      summary: 'Open the shift (prints the opening report)',
      body: { schema: cashierBody },
      responses: {
        200: { description: 'Shift state', schema: shiftStateSchema },
        409: { description: 'Over 24 h: close it first' },
        503: kkt503,
      },
      async handler({ res, body }) {
        sendJson(res, 200, shiftStateView(await station.shifts.open(body.cashier_name, body.cashier_inn)));
      },
    }),
    reportOperation({
      path: '/v1/kkt/report/x',
      summary: 'X report: station and device totals, the shift stays open',
      body: emptyBody,
      print: () => station.shifts.xReport(),
    }),
    reportOperation({
      path: '/v1/kkt/shift/close',
      summary: 'Z report: closes the shift; station and device totals',
      body: cashierBody,
      print: (body) => station.shifts.close(body.cashier_name, body.cashier_inn),
    }),
  ];

  for (const kind of ['in', 'out'] as const) {
    ops.push(
      operation({
        method: 'POST',
        path: `/v1/kkt/cash/${kind}`,
        summary:
          kind === 'in'
            ? 'Cash in (внесение); idempotent with an Idempotency-Key'
            : 'Cash out (выплата); idempotent with an Idempotency-Key',
        idempotencyKey: {
          required: false,
          description:
            'Optional but recommended: the same key and the same operation answer the first result without moving the drawer again; the same key for another operation is 409',
        },
        body: { schema: cashBody, required: true },
        responses: {
          200: { description: 'Done', schema: cashAnswerSchema },
          409: {
            description:
              kind === 'in'
                ? 'No open shift, or the key was used'
                : 'No open shift, not enough cash, or the key was used',
          },
          503: kkt503,
        },
        async handler({ res, body, idempotencyKey }) {
          const amount = amountOf(body.amount);
          const opts = { cashier: body.cashier_name, idempotencyKey };
          const op =
            kind === 'in'
              ? await station.shifts.cashIn(amount, opts)
              : await station.shifts.cashOut(amount, opts);
          sendJson(res, 200, {
            kind: op.kind,
            amount: kopecksToRoubles(op.amountKop),
            document_number: op.documentNumber,
            cash_in_drawer: kopecksToRoubles(op.cashInDrawerKop),
          });
        },
      }),
    );
  }
  return ops;
}

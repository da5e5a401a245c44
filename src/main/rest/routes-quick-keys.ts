// The sale screen's quick keys for an ERP or a shop's back office: read them, or replace the whole
// ordered list. Unknown or repeated codes are refused (422 naming body.keys[N].code), nothing stored.
import type { Station } from '../core/station.ts';
import type { QuickKey } from '../core/catalog/quick-keys.ts';
import { QUICK_KEYS_MAX } from '../../shared/quick-keys.ts';
import { sendJson } from './http-util.ts';
import { operation, type Operation } from './operations.ts';
import { catalogItemView } from './routes-catalog.ts';
import { quickKeysBody, quickKeysSchema } from './schemas.ts';
import { BY } from '../../shared/journal-by.ts';

function quickKeysAnswer(keys: QuickKey[]) {
  return {
    keys: keys.map((k) => ({ code: k.code, label: k.label, item: catalogItemView(k.item) })),
    max: QUICK_KEYS_MAX,
  };
}

export function quickKeyOperations(station: Station): Operation[] {
  const quickKeys = station.catalog.quickKeys;
  return [
    operation({
      method: 'GET',
      path: '/v1/catalog/quick-keys',
      summary: "The sale screen's quick keys, in order, with their items",
      responses: { 200: { description: 'The keys', schema: quickKeysSchema } },
      async handler({ res }) {
        sendJson(res, 200, quickKeysAnswer(quickKeys.list()));
      },
    }),
    operation({
      method: 'PUT',
      path: '/v1/catalog/quick-keys',
      summary: "Replace the sale screen's quick keys (the whole ordered list)",
      body: { schema: quickKeysBody, required: true },
      responses: {
        200: { description: 'Stored: the keys as the sale screen shows them', schema: quickKeysSchema },
        422: {
          description: 'A code not in the catalogue or listed twice (body.keys[N].code); nothing stored',
        },
      },
      async handler({ res, body }) {
        sendJson(res, 200, quickKeysAnswer(quickKeys.replace(body.keys, BY.rest, (i) => `body.keys[${i}]`)));
      },
    }),
  ];
}

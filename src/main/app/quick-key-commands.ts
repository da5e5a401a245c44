// The quick keys' commands (src/shared/contract.ts), beside commands.ts so the catalogue's buttons stay
// one concern: the list for the sale screen, and the whole list replaced behind the manager's PIN.
// The core checks the keys (core/catalog/quick-keys.ts): a refusal names keys[N].code.
import { z } from 'zod';
import type { Station } from '../core/station.ts';
import { quickKeysInputSchema, type QuickKey } from '../core/catalog/quick-keys.ts';
import { PIN_MAX_DIGITS } from '../../shared/pin.ts';
import type { QuickKeyView } from '../../shared/contract.ts';
import type { ManagerPin } from './manager-pin.ts';
import { catalogItemView } from './catalog-views.ts';
import { BY } from '../../shared/journal-by.ts';

const pin = z
  .string({ error: 'the manager PIN is required' })
  .min(1, { error: 'the manager PIN is required' })
  .max(PIN_MAX_DIGITS);

export const QUICK_KEY_ARGS = {
  'quickKeys.list': z.undefined().or(z.null()).optional(),
  'quickKeys.set': z.object({ pin, keys: quickKeysInputSchema }),
};

export function quickKeyView(k: QuickKey): QuickKeyView {
  return { code: k.code, label: k.label, item: catalogItemView(k.item) };
}

export function quickKeyHandlers(station: Station, managerPin: ManagerPin) {
  return {
    'quickKeys.list': async (): Promise<QuickKeyView[]> => station.catalog.quickKeys.list().map(quickKeyView),
    'quickKeys.set': async ({
      pin,
      keys,
    }: z.output<(typeof QUICK_KEY_ARGS)['quickKeys.set']>): Promise<QuickKeyView[]> => {
      await managerPin.verify(pin);
      return station.catalog.quickKeys.replace(keys, BY.manager).map(quickKeyView);
    },
  };
}

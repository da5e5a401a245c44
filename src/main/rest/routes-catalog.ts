// The catalogue for an ERP (1C, МойСклад…): upsert items by code, search, look a barcode up, delete.
// The checks are the core's (core/catalog): a batch is stored whole or not at all, and a refusal lists
// every bad item as items[N].field.
import type { z } from 'zod';
import type { Station } from '../core/station.ts';
import type { CatalogItem } from '../core/catalog/catalog-item.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { kopecksToRoubles } from '../../shared/money.ts';
import { unitShort } from '../../shared/units.ts';
import { sendJson } from './http-util.ts';
import { operation, validate, type Operation } from './operations.ts';
import {
  barcodeParam,
  catalogCodeParam,
  catalogDeletedSchema,
  catalogItemSchema,
  catalogItemsBody,
  catalogItemsEnvelope,
  catalogListSchema,
  catalogQuery,
  catalogScanSchema,
  catalogUpsertSchema,
} from './schemas.ts';
import { BY } from '../../shared/journal-by.ts';

export function catalogItemView(item: CatalogItem): z.input<typeof catalogItemSchema> {
  return {
    code: item.code,
    name: item.name,
    price: kopecksToRoubles(item.priceKop),
    vat_rate: item.vat,
    unit: item.unit,
    unit_name: unitShort(item.unit),
    barcodes: item.barcodes,
    weighed: item.weighed,
    marked: item.marked,
    price_editable: item.freePrice,
    payment_subject: item.paymentSubject,
  };
}

export function catalogOperations(station: Station): Operation[] {
  const catalog = station.catalog;
  return [
    operation({
      method: 'PUT',
      path: '/v1/catalog/items',
      summary: 'Add or replace catalogue items by code (all of them or none)',
      body: { schema: catalogItemsBody, required: true, validate: false },
      responses: {
        200: { description: 'Stored: how many were new and how many replaced', schema: catalogUpsertSchema },
        422: { description: 'Invalid items (details name every items[N].field); nothing stored' },
      },
      async handler({ res, body }) {
        const { items } = validate(catalogItemsEnvelope, body, 'body');
        const entries = items.map((value, i) => ({ where: `body.items[${i}]`, value }));
        sendJson(res, 200, catalog.upsert(entries, BY.rest));
      },
    }),
    operation({
      method: 'GET',
      path: '/v1/catalog/items',
      summary: 'Catalogue items by name words (any case), code or barcode',
      query: catalogQuery,
      responses: { 200: { description: 'Items, exact code and barcode first', schema: catalogListSchema } },
      async handler({ res, query }) {
        const items = catalog.search(query.query ?? '', query.limit ?? 20);
        sendJson(res, 200, { items: items.map(catalogItemView), total: catalog.store.count() });
      },
    }),
    operation({
      method: 'GET',
      path: '/v1/catalog/barcode/{barcode}',
      summary: 'The item a scanned barcode names (EAN, UPC-A, Code 128, internal, a weight label)',
      pathParam: { name: 'barcode', schema: barcodeParam, notFound: 'No catalogue item has this barcode' },
      responses: {
        200: { description: 'The item; quantity is set for a weight label', schema: catalogScanSchema },
      },
      async handler({ res, id }) {
        const r = catalog.scan(id);
        if (r.kind === 'unknown')
          throw new NotFoundError(
            r.reason === 'bad_check_digit'
              ? `Barcode ${id} has a wrong check digit: it was misread.`
              : r.reason === 'weight_item_unknown'
                ? `Barcode ${id} is a weight label of item ${r.itemCode}, which is not in the catalogue.`
                : `No catalogue item has the barcode ${id}.`,
          );
        sendJson(res, 200, {
          ...catalogItemView(r.item),
          quantity: r.quantityMilli === null ? null : r.quantityMilli / 1000,
        });
      },
    }),
    operation({
      method: 'DELETE',
      path: '/v1/catalog/items/{code}',
      summary: 'Delete a catalogue item with its barcodes',
      pathParam: { name: 'code', schema: catalogCodeParam, notFound: 'No catalogue item with this code' },
      responses: { 200: { description: 'Deleted', schema: catalogDeletedSchema } },
      async handler({ res, id }) {
        catalog.remove(id, BY.rest);
        sendJson(res, 200, { deleted: id });
      },
    }),
  ];
}

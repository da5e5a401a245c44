// OpenAPI 3 description of the local REST API, served at /openapi.json, and a self-contained docs page
// at /docs (no external scripts: the station is often offline). It is GENERATED from the operations'
// zod schemas (operations.ts, schemas.ts) with z.toJSONSchema, the same schemas the router validates
// with: the description cannot promise a check that is not made, nor omit one that is. The error codes
// are the taxonomy's (src/shared/errors.ts).
import { z } from 'zod';
import { receiptRequestSchema } from '../core/fiscal/receipt-request.ts';
import { correctionRequestSchema } from '../core/fiscal/correction-request.ts';
import { documentedResponses, type Operation } from './operations.ts';
import { catalogItemInputSchema } from '../core/catalog/catalog-item.ts';
import { errorSchema, receiptIdParam, receiptSchema } from './schemas.ts';

/** Schemas that get a name in components and are referenced by it. */
const NAMED = new Map<z.ZodType, string>([
  [errorSchema, 'Error'],
  [receiptSchema, 'Receipt'],
  [receiptRequestSchema, 'ReceiptRequest'],
  [catalogItemInputSchema, 'CatalogItem'],
  [correctionRequestSchema, 'CorrectionRequest'],
]);

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}

function schemaOrRef(schema: z.ZodType): Record<string, unknown> {
  const name = NAMED.get(schema);
  return name ? { $ref: `#/components/schemas/${name}` } : jsonSchema(schema);
}

function describeOperation(op: Operation) {
  const parameters: Record<string, unknown>[] = [];
  if (op.pathParam)
    parameters.push({
      name: op.pathParam.name,
      in: 'path',
      required: true,
      schema: jsonSchema(op.pathParam.schema),
    });
  else if (op.path.includes('{id}'))
    parameters.push({ name: 'id', in: 'path', required: true, schema: jsonSchema(receiptIdParam) });
  if (op.idempotencyKey)
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: op.idempotencyKey.required,
      description: op.idempotencyKey.description,
      schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' },
    });
  if (op.managerPin)
    parameters.push({
      name: 'X-Manager-Pin',
      in: 'header',
      required: false,
      description: op.managerPin.description,
      schema: { type: 'string', minLength: 1, maxLength: 64 },
    });
  if (op.query instanceof z.ZodObject) {
    const q = jsonSchema(op.query) as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      const { description, ...rest } = schema;
      parameters.push({
        name,
        in: 'query',
        required: q.required?.includes(name) ?? false,
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  const responses = Object.fromEntries(
    Object.entries(documentedResponses(op)).map(([status, r]) => [
      status,
      {
        description: r.description,
        content: r.contentType
          ? { [r.contentType]: { schema: { type: 'string' } } }
          : { 'application/json': { schema: schemaOrRef(r.schema ?? errorSchema) } },
      },
    ]),
  );
  return {
    summary: op.summary,
    ...(op.auth === false ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: op.body.required ?? false,
            content: { 'application/json': { schema: schemaOrRef(op.body.schema) } },
          },
        }
      : {}),
    responses,
  };
}

export function openApiDocument(operations: Operation[]) {
  const paths: Record<string, Record<string, ReturnType<typeof describeOperation>>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method.toLowerCase()] = describeOperation(op);
  return {
    openapi: '3.0.3',
    info: {
      title: 'Cashier Station local API',
      version: '1.1.0',
      description:
        "Prints fiscal receipts on the station's KKT and delivers them to the OFD in the background. Listens on 127.0.0.1 only and answers only Host names 127.0.0.1, localhost and [::1]. " +
        'Amounts are roubles with at most 2 decimals; quantities have at most 3 decimals. Every call except /openapi.json and /docs needs Authorization: Bearer <token>. ' +
        'Every request is checked against this description; a refusal is {error, message, details?}. Body fields not described here are ignored.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: Object.fromEntries([...NAMED].map(([schema, name]) => [name, jsonSchema(schema)])),
    },
    security: [{ bearer: [] }],
    paths,
  };
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export function docsPage(operations: Operation[]): string {
  const doc = openApiDocument(operations);
  const rows = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(
      ops as Record<string, { summary: string; responses: Record<string, { description: string }> }>,
    ).map(
      ([method, op]) =>
        `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary)}</td><td>${Object.entries(
          op.responses,
        )
          .map(([code, r]) => `${code} ${escapeHtml(r.description)}`)
          .join('<br>')}</td></tr>`,
    ),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cashier Station API</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;vertical-align:top;text-align:left}</style></head>
<body><h1>${escapeHtml(doc.info.title)}</h1><p>${escapeHtml(doc.info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${doc.openapi}).</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Purpose</th><th>Answers</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`;
}

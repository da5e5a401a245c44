// One REST operation = its method, path, schemas and handler, declared once. The router (rest-api.ts)
// validates every request with the operation's schemas before the handler runs, and openapi.ts
// describes the API from the same declarations, so no check exists that the description lacks and no
// documented field goes unchecked.
//
// What the router does for every operation, in order (each refusal is {error, message}):
//   Host header not a loopback name → 421 forbidden_host (DNS rebinding, as the browser host)
//   no such path → 404, wrong method → 405
//   missing or wrong bearer token (auth operations) → 401
//   path id: malformed percent-encoding → 400; not a possible id → 422
//   query: a known parameter given twice, or not of its type/range (limit=1.5) → 422
//   body: not UTF-8, not JSON, nested too deep → 400; over 1 MB → 413; not the schema → 422
// and which of these an operation can answer is added to its documented responses (documentedResponses).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { StationError, type FieldIssue } from '../../shared/errors.ts';

export interface ResponseSpec {
  description: string;
  /** JSON answer shape; absent with `contentType` for a text answer. */
  schema?: z.ZodType;
  contentType?: string;
}

export interface OperationContext<Q, B> {
  req: IncomingMessage;
  res: ServerResponse;
  /** The decoded and validated path parameter ('' when the path has none). */
  id: string;
  query: Q;
  body: B;
  /** The Idempotency-Key header as sent (validated by the core, which owns the rule). */
  idempotencyKey: string | undefined;
  /** The X-Manager-Pin header as sent (operations that declare `managerPin`), checked only when needed. */
  managerPin: string | undefined;
}

export interface BodySpec<B extends z.ZodType> {
  schema: B;
  /** An absent body is refused (else it is validated as {}). */
  required?: boolean;
  /** false: the core validates it (the receipt: REST and IPC share one validation); the router only parses JSON. */
  validate?: boolean;
}

export interface Operation<Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI path, e.g. /v1/kkt/receipt/{id}: at most one path parameter, `{id}` unless `pathParam` names it. */
  path: string;
  /** The path parameter when it is not a receipt id: its name in the path, schema and description. */
  pathParam?: { name: string; schema: z.ZodType; notFound: string };
  summary: string;
  /** Needs the bearer token (default true). */
  auth?: boolean;
  query?: Q;
  body?: BodySpec<B>;
  idempotencyKey?: { required: boolean; description: string };
  /** The optional X-Manager-Pin header: what it allows here. */
  managerPin?: { description: string };
  /** What the handler itself answers; the router's own refusals are added by documentedResponses(). */
  responses: Record<number, ResponseSpec>;
  handler(ctx: OperationContext<z.output<Q>, z.output<B>>): Promise<void>;
}

/** Declares an operation with its handler typed by its schemas. */
export function operation<Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  op: Operation<Q, B>,
): Operation {
  return op as unknown as Operation;
}

export const ERROR_RESPONSE = 'error';

/** Every status the operation can answer: its own, plus the router's refusals it can meet. */
export function documentedResponses(op: Operation): Record<number, ResponseSpec> {
  const e = (description: string): ResponseSpec => ({ description });
  const all: Record<number, ResponseSpec> = {
    ...op.responses,
    421: e('The Host header is not a loopback name (127.0.0.1, localhost, [::1])'),
  };
  if (op.auth !== false) all[401] ??= e('Missing or wrong bearer token');
  const badInput: string[] = [];
  const param = hasPathParam(op);
  if (op.pathParam) {
    all[404] ??= e(op.pathParam.notFound);
    badInput.push(`the ${op.pathParam.name} in the path is not a possible one`);
  } else if (param) {
    all[404] ??= e('No receipt with this id');
    badInput.push('the id is not a possible receipt id');
  }
  if (op.query) badInput.push('a query parameter is not of its type or range, or given twice');
  if (op.body) {
    all[413] = e('The body is over 1 MB');
    if (op.body.validate !== false) badInput.push('the body does not match its schema');
  }
  if (op.body || op.idempotencyKey || param) {
    all[400] ??= e(
      [
        param ? `malformed percent-encoding in the ${op.pathParam?.name ?? 'id'}` : '',
        op.body ? 'the body is not UTF-8 JSON or is nested too deep' : '',
        op.idempotencyKey ? 'a malformed Idempotency-Key' : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  }
  if (badInput.length) all[422] ??= e(`Invalid request: ${badInput.join('; ')}`);
  return all;
}

/** True when the operation's path has a parameter ({id}, {code}…). */
export function hasPathParam(op: Operation): boolean {
  return /\{\w+\}/.test(op.path);
}

/** Refused request data: details list every problem, one per field. */
export class RequestValidationError extends StationError {
  constructor(issues: FieldIssue[]) {
    super(
      'validation_error',
      422,
      `The request is not valid, nothing was done: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
}

export function fieldName(prefix: string, path: PropertyKey[]): string {
  return path.reduce<string>(
    (name, p) => (typeof p === 'number' ? `${name}[${p}]` : `${name ? `${name}.` : ''}${String(p)}`),
    prefix,
  );
}

/** Validates `value` with `schema`; a failure is a 422 naming each field under `prefix` (query, body…). */
export function validate<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new RequestValidationError(
    parsed.error.issues.map((i) => ({ field: fieldName(prefix, i.path) || prefix, message: i.message })),
  );
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * The query object a schema sees: each parameter it knows, once; a numeric text the parameter's schema
 * does not take as text becomes a number (so limit=1.5 fails as a fraction, limit=abc as text, and
 * query=4600000000000 stays text). Unknown parameters are ignored.
 */
export function queryObject(schema: z.ZodType, params: URLSearchParams): Record<string, unknown> {
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  const twice: FieldIssue[] = [];
  for (const name of Object.keys(shape)) {
    const values = params.getAll(name);
    if (values.length > 1) twice.push({ field: `query.${name}`, message: 'give it once' });
    if (values.length === 0) continue;
    const text = values[0]!;
    // A text parameter keeps its text (a 20-digit barcode must not become a rounded number).
    const keepText = (shape[name] as z.ZodType).safeParse(text).success;
    out[name] = !keepText && JSON_NUMBER.test(text) ? Number(text) : text;
  }
  if (twice.length) throw new RequestValidationError(twice);
  return out;
}

// A schema-driven walk of the REST API (a small in-repo Schemathesis): read /openapi.json from a real
// station, and send every operation malformed values — wrong types, out of range, fractions, huge
// strings, deep nesting, bad percent-encodings and bad UTF-8, missing and extra fields, foreign Host
// headers, no token. Nothing may answer 5xx; every 4xx is {error, message}; every answered status is
// documented for its operation; the router's documented refusals (400/401/404/413/421/422) are each
// actually answered; and every 2xx JSON answer matches its documented schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { STATION_ERROR_CODES } from '../src/shared/errors.ts';
import { saleBody, startFixture, TEST_TOKEN } from './helpers/fixture.ts';

type Schema = Record<string, any>;
interface Answer {
  status: number;
  text: string;
  contentType: string;
}

/** One raw request: any path bytes, any Host, a Buffer body (so bad UTF-8 goes out as it is). */
function send(
  base: string,
  method: string,
  path: string,
  opts: { body?: Buffer | string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
  const headers: Record<string, string> = {
    authorization: `Bearer ${TEST_TOKEN}`,
    connection: 'close',
    ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
    ...opts.headers,
  };
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers, agent: false, setHost: !headers.host },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            contentType: String(res.headers['content-type'] ?? ''),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function resolveRef(doc: Schema, s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s;
  return doc.components.schemas[(s.$ref as string).split('/').pop()!];
}

/** What a value is not allowed to be, for a property of this schema: wrong types, ranges, sizes, text. */
function badValues(s: Schema): unknown[] {
  const values: unknown[] = [null, true, {}, [], { nested: { deeper: [1, 2, 3] } }, 'x'.repeat(100_000)];
  values.push(-1, 0, 1.5, 1e308, -0.001, 123.4567, 'NaN', 'Infinity', '1e400', '', ' ', '\u0000\u001b[2J\n');
  if (s.maxLength) values.push('я'.repeat(s.maxLength + 1));
  if (s.maximum !== undefined) values.push(s.maximum + 1);
  if (s.minimum !== undefined) values.push(s.minimum - 1);
  if (s.enum) values.push(`${s.enum[0]}-not`);
  return values;
}

/** A minimal JSON-schema check of an answer (type, nullable, enum, required, properties, items, anyOf). */
function matches(
  doc: Schema,
  schema: Schema | undefined,
  value: unknown,
  at: string,
  problems: string[],
): void {
  const s = resolveRef(doc, schema);
  if (!s || Object.keys(s).length === 0) return;
  if (value === null) {
    if (!s.nullable) problems.push(`${at}: null but not nullable`);
    return;
  }
  if (s.anyOf || s.oneOf) {
    const options = (s.anyOf ?? s.oneOf) as Schema[];
    if (
      !options.some((o) => {
        const p: string[] = [];
        matches(doc, o, value, at, p);
        return p.length === 0;
      })
    )
      problems.push(`${at}: matches none of its alternatives`);
    return;
  }
  const type = Array.isArray(value) ? 'array' : typeof value;
  if (s.type === 'integer') {
    if (!Number.isInteger(value)) problems.push(`${at}: ${JSON.stringify(value)} is not an integer`);
  } else if (s.type && s.type !== type) problems.push(`${at}: ${type}, documented ${s.type}`);
  if (s.enum && !s.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} not in ${s.enum}`);
  if (type === 'object') {
    const o = value as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o)) problems.push(`${at}.${r}: missing`);
    for (const [k, v] of Object.entries(o)) {
      if (s.properties?.[k]) matches(doc, s.properties[k], v, `${at}.${k}`, problems);
      else if (typeof s.additionalProperties === 'object')
        matches(doc, s.additionalProperties, v, `${at}.${k}`, problems);
    }
  }
  if (type === 'array' && s.items)
    (value as unknown[]).forEach((v, i) => matches(doc, s.items, v, `${at}[${i}]`, problems));
}

test('every operation of /openapi.json, sent malformed values: no 5xx, {error, message}, only documented statuses', async (t) => {
  const f = await startFixture(t, { startWorker: false });
  const base = f.api.url;
  const sale = await f.sale('walk-base');
  assert.equal(sale.status, 200, JSON.stringify(sale.body));
  const receiptId: string = sale.body.receipt_id;
  const doc = JSON.parse((await send(base, 'GET', '/openapi.json')).text) as Schema;

  const failures: string[] = [];
  let requests = 0;
  for (const [template, ops] of Object.entries(doc.paths as Record<string, Schema>)) {
    for (const [method, op] of Object.entries(ops as Record<string, Schema>)) {
      const name = `${method.toUpperCase()} ${template}`;
      const documented = new Set(Object.keys(op.responses).map(Number));
      const seen = new Set<number>();
      const params = (op.parameters ?? []) as Schema[];
      const hasKey = params.some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
      const bodySchema = resolveRef(doc, op.requestBody?.content?.['application/json']?.schema);
      const pathFor = (id: string) => template.replace(/\{\w+\}/, id);
      const okPath = pathFor(encodeURIComponent(receiptId));
      let n = 0;
      const headers = (): Record<string, string> =>
        hasKey ? { 'idempotency-key': `walk-${method}-${template.replace(/\W/g, '_')}-${++n}` } : {};
      const okBody = () =>
        bodySchema
          ? JSON.stringify(
              template === '/v1/kkt/receipt' ? saleBody() : template.includes('/cash/') ? { amount: 1 } : {},
            )
          : undefined;

      const check = async (what: string, path: string, opts: Parameters<typeof send>[3] = {}) => {
        requests++;
        const a = await send(base, method.toUpperCase(), path, opts);
        seen.add(a.status);
        const where = `${name} ${what} → ${a.status}`;
        if (a.status >= 500 && !(documented.has(a.status) && a.status === 503 && template === '/v1/health'))
          failures.push(`${where}: ${a.text.slice(0, 300)}`);
        if (!documented.has(a.status)) failures.push(`${where}: status not documented`);
        if (!a.contentType.startsWith('application/json')) return;
        const body = JSON.parse(a.text) as Record<string, unknown>;
        if (a.status >= 400) {
          if (
            typeof body.error !== 'string' ||
            !(STATION_ERROR_CODES as readonly string[]).includes(body.error) ||
            typeof body.message !== 'string' ||
            !body.message
          )
            failures.push(`${where}: not {error, message}: ${a.text.slice(0, 200)}`);
        } else {
          const problems: string[] = [];
          matches(
            doc,
            op.responses[a.status]?.content?.['application/json']?.schema,
            body,
            'answer',
            problems,
          );
          if (problems.length) failures.push(`${where}: answer off its schema: ${problems.join('; ')}`);
        }
      };

      // Who may ask
      await check('Host evil.example', okPath, {
        headers: { host: 'evil.example', ...headers() },
        body: okBody(),
      });
      await check('Host 127.0.0.1.nip.io', okPath, {
        headers: { host: '127.0.0.1.nip.io:80' },
        body: okBody(),
      });
      if (op.security === undefined || op.security.length)
        await check('no token', okPath, { headers: { authorization: '', ...headers() }, body: okBody() });

      // The path
      if (/\{\w+\}/.test(template)) {
        for (const id of [
          '%E0%A4%A',
          '%ZZ',
          '%',
          '%C0%AF',
          'x'.repeat(5000),
          '%00',
          '%20',
          'no-such-receipt',
          '%7F',
        ])
          await check(`id ${id.slice(0, 20)}`, pathFor(id), { headers: headers(), body: okBody() });
      }

      // The query
      for (const p of params.filter((p) => p.in === 'query')) {
        for (const v of [
          '1.5',
          '-1',
          '0',
          '501',
          'abc',
          '',
          '1e400',
          '0x10',
          '%205',
          '+5',
          '%FF',
          'x'.repeat(10_000),
        ])
          await check(`?${p.name}=${v.slice(0, 12)}`, `${okPath}?${p.name}=${v}`, { headers: headers() });
        await check(`?${p.name} twice`, `${okPath}?${p.name}=1&${p.name}=2`, { headers: headers() });
        await check(`?${p.name}=5 and an unknown parameter`, `${okPath}?${p.name}=5&zzz=1`, {
          headers: headers(),
        });
      }

      // The Idempotency-Key
      if (hasKey)
        for (const key of [' ', 'x'.repeat(200), 'a b', 'é'])
          await check(`Idempotency-Key ${JSON.stringify(key.slice(0, 10))}`, okPath, {
            headers: { 'idempotency-key': key },
            body: okBody(),
          });

      // The body
      if (bodySchema) {
        const raw: [string, Buffer | string][] = [
          ['not JSON', '{"amount": '],
          ['bad UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
          ['10,000-deep unknown field', `{"zzz":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
          ['10,000-deep object', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
          ['over 1 MB', JSON.stringify({ zzz: 'x'.repeat(1_100_000) })],
          ['a 900 KB unknown field', JSON.stringify({ zzz: 'x'.repeat(900_000) })],
          ...[null, 1, 'text', [], true].map((v): [string, string] => [
            `body ${JSON.stringify(v)}`,
            JSON.stringify(v),
          ]),
        ];
        for (const [what, body] of raw) await check(what, okPath, { headers: headers(), body });
        const valid = JSON.parse(okBody()!) as Record<string, unknown>;
        for (const [prop, propSchema] of Object.entries(
          (bodySchema.properties ?? {}) as Record<string, Schema>,
        )) {
          for (const v of badValues(propSchema))
            await check(`${prop}=${JSON.stringify(v)?.slice(0, 20)}`, okPath, {
              headers: headers(),
              body: JSON.stringify({ ...valid, [prop]: v }),
            });
        }
        for (const r of (bodySchema.required ?? []) as string[]) {
          const { [r]: _dropped, ...rest } = valid;
          await check(`without ${r}`, okPath, { headers: headers(), body: JSON.stringify(rest) });
        }
        await check('an extra field', okPath, {
          headers: headers(),
          body: JSON.stringify({ ...valid, zzz: 1 }),
        });
        if (template === '/v1/kkt/receipt') {
          const item = (valid.items as Schema[])[0]!;
          for (const [prop, v] of [
            ['name', 'Хлеб\u001b[5m'],
            ['price', 45.505],
            ['quantity', 0.0001],
            ['price', 'x'.repeat(100_000)],
            ['vat_rate', { a: 1 }],
          ] as [string, unknown][])
            await check(`items[0].${prop}=${JSON.stringify(v).slice(0, 20)}`, okPath, {
              headers: headers(),
              body: JSON.stringify({ ...valid, items: [{ ...item, [prop]: v }] }),
            });
        }
      }

      // The router's refusals the description promises are each answered by this operation.
      for (const status of [400, 401, 404, 413, 421, 422])
        if (documented.has(status) && !seen.has(status))
          failures.push(`${name}: documents ${status}, which the walk never got`);
    }
  }
  assert.ok(requests > 200, `the walk sent ${requests} requests`);
  assert.deepEqual(failures, []);
});

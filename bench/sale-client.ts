// The POS side of the station benchmarks: one keep-alive HTTP connection to the station's REST API, the
// sale every bench sends, and a timed run of sequential sales. Used in process by bench/station.ts and
// from a child process by bench/pos-client.ts (a POS is another program than the station).
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export const TOKEN = 'bench-api-token-0123456789abcdef';

export function saleBody(i: number) {
  const priceKop = 100 + ((i * 7919) % 99_900);
  const price = `${Math.trunc(priceKop / 100)}.${String(priceKop % 100).padStart(2, '0')}`;
  return {
    pos_id: 'POS-BENCH',
    type: 'sale',
    items: [{ name: `Товар ${i}`, price, quantity: 1, total: price, vat_rate: '20' }],
    payments: [{ type: 'card', amount: price }],
  };
}

interface Answer {
  status: number;
  body: string;
}

/** One keep-alive connection, like a POS that talks to its station all day. */
export class Client {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  constructor(private readonly baseUrl: string) {}

  post(path: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
    const payload = JSON.stringify(body);
    return this.send('POST', path, payload, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(payload)),
      ...headers,
    });
  }

  get(path: string): Promise<Answer> {
    return this.send('GET', path, undefined, {});
  }

  private send(method: string, path: string, payload: string | undefined, headers: Record<string, string>) {
    return new Promise<Answer>((resolve, reject) => {
      const req = request(
        `${this.baseUrl}${path}`,
        { method, agent: this.agent, headers: { authorization: `Bearer ${TOKEN}`, ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** `count` sequential sales; returns each one's latency in ms. Any answer but 200 printed is an error. */
export async function timedSales(client: Client, count: number, tag: string, thinkMs = 0): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    if (thinkMs && i) await new Promise((r) => setTimeout(r, thinkMs));
    const body = saleBody(i);
    const t0 = performance.now();
    const r = await client.post('/v1/kkt/receipt', body, {
      'idempotency-key': `${tag}-${i}-${randomUUID()}`,
    });
    out.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`sale ${tag}#${i}: HTTP ${r.status} ${r.body}`);
  }
  return out;
}

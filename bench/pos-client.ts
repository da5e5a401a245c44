// A POS in its own process: `node --import tsx bench/pos-client.ts URL COUNT WARMUP TAG` sends WARMUP
// then COUNT sequential sales to the station at URL over one keep-alive connection and prints the COUNT
// latencies (ms) as one JSON array on stdout. bench/station.ts runs it so the POS's own HTTP work does not
// run on the station's event loop, as at a till where the POS is another program.
import { Client, timedSales } from './sale-client.ts';

const [url, count, warmup, tag] = process.argv.slice(2);
if (!url || !count || !warmup || !tag) {
  console.error('usage: pos-client.ts URL COUNT WARMUP TAG');
  process.exit(2);
}
const client = new Client(url);
try {
  await timedSales(client, Number(warmup), `${tag}-warmup`);
  console.log(JSON.stringify(await timedSales(client, Number(count), tag)));
} finally {
  client.close();
}

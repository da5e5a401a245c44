// Support: one diagnostics archive, downloaded from the app, with the logs, the status, the journal and
// the configuration, and no secret in it (README, the support engineer's role).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test } from './station.ts';
import { cashSale, managerSignIn, openTab, waitForStation } from './till.ts';

const OFD_TOKEN = 'ofd-secret-Zq7WmX4kP9';
const PIN = '73918264';

test.use({ stationEnv: { STATION_OFD_TOKEN: OFD_TOKEN } });

/** Reads a ustar archive: file name → content. */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let off = 0; off + 512 <= tar.length;) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) =>
      header
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    if (type === '0') files.set(name, tar.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

test('export diagnostics: a .tar.gz with logs, status, journal and config, and no secrets', async ({
  page,
  station,
}) => {
  await waitForStation(page);
  // Something worth diagnosing: a sale, and the manager PIN set and used.
  await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);
  await managerSignIn(page, PIN);

  await openTab(page, 'Поддержка');
  await expect(page.getByRole('table', { name: 'События' })).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Экспорт диагностики' }).click();
  const download = await downloading;
  const fileName = download.suggestedFilename();
  expect(fileName).toMatch(/\.tar\.gz$/);
  await expect(page.getByRole('status').filter({ hasText: fileName })).toHaveText(
    `Файл ${fileName} сохранён.`,
  );

  const gz = readFileSync((await download.path())!);
  expect([...gz.subarray(0, 2)]).toEqual([0x1f, 0x8b]); // gzip magic
  const tar = gunzipSync(gz);
  expect(tar.subarray(257, 262).toString()).toBe('ustar');
  const files = untar(tar);
  const names = [...files.keys()];
  test.info().annotations.push({ type: 'archive', description: names.join(', ') });
  const folder = fileName.replace(/\.tar\.gz$/, '');
  for (const want of ['logs/station.log', 'status.json', 'journal.json', 'config.json']) {
    expect(names, `the archive holds ${want}`).toContain(`${folder}/${want}`);
  }
  const file = (n: string) => files.get(`${folder}/${n}`)!.toString('utf8');
  expect(file('logs/station.log').length).toBeGreaterThan(0);
  const status = JSON.parse(file('status.json')) as Record<string, unknown>;
  expect(status).toHaveProperty('snapshot');
  const journal = JSON.parse(file('journal.json')) as unknown[];
  expect(Array.isArray(journal) && journal.length).toBeTruthy();
  const config = JSON.parse(file('config.json')) as Record<string, unknown>;
  expect(config.ofdUrl).toBeTruthy();

  // No secret anywhere: the REST API token, the OFD token, the browser session token, the PIN and its hash.
  const apiToken = readFileSync(join(station.dataDir, 'api-token'), 'utf8').trim();
  const sessionToken = new URL(station.url).searchParams.get('token')!;
  expect(apiToken.length).toBeGreaterThanOrEqual(16);
  const secrets = { apiToken, ofdToken: OFD_TOKEN, sessionToken, pin: PIN };
  for (const [name, content] of files) {
    const text = content.toString('utf8');
    for (const [what, secret] of Object.entries(secrets)) {
      expect(text.includes(secret), `${what} appears in ${name}`).toBe(false);
    }
    expect(text, `a PIN hash appears in ${name}`).not.toMatch(/scrypt\$/);
  }
});

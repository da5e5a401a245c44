// The OFD comes back: the manager forces a sync, the backlog goes out once, and the chip is online.
import type { Page } from '@playwright/test';
import { expect, test } from './station.ts';
import { cashSale, managerSignIn, newSale, waitForStation } from './till.ts';

// The breaker opens on the first failure and lets a trial through after its reset. The worker's own
// backoff is long, so after the outage it is the manager's "sync now" that delivers the backlog.
// Two sales may outlast the reset (the chip then says «нестабильна», not «Офлайн»): the check after them
// accepts either, and the wait for half-open allows for the reset. The outage tests wait out a reset
// each, so theirs is short (RECOVERY_RESET_MS); the test of an OFD still down needs the breaker open for
// its whole run and keeps a long one (STILL_DOWN_RESET_MS).
const RECOVERY_RESET_MS = 2_000;
const STILL_DOWN_RESET_MS = 8_000;
const stationEnv = (resetMs: number) => ({
  STATION_BREAKER_THRESHOLD: '1',
  STATION_BREAKER_RESET_MS: String(resetMs),
  STATION_BACKOFF_BASE_MS: '60000',
  STATION_BACKOFF_MAX_MS: '60000',
});
test.use({ stationEnv: stationEnv(RECOVERY_RESET_MS) });

// Each test waits out a breaker reset besides its sales: about 45 s alone on a machine at load 20, so the
// suite's 60 s left no room for two CPU hogs beside it (the tests then failed on time, in any step).
test.describe.configure({ timeout: 150_000 });

const RESULT =
  /^Готово: отправлено (\d+), ошибок (\d+), пропущено (\d+), в очередь ошибок (\d+) \(\d+[.,]\d с\)\.$/;

/** Two sales while the OFD is down, then the OFD is back and the breaker ready for its trial call. */
async function outageThenBack(
  page: Page,
  ofd: { setMode: (m: Record<string, unknown>) => Promise<void> },
): Promise<void> {
  await waitForStation(page);
  await ofd.setMode({ mode: 'down', status: 503 });
  await cashSale(page, [{ name: 'Хлеб', quantity: '2', price: '45,50' }]);
  await newSale(page);
  await cashSale(page, [{ name: 'Молоко', price: '89,99' }]);
  // Both sales wait for the OFD, the chip is not online. Whether it says «Офлайн» (breaker open) or
  // «нестабильна» (half-open) depends on how long the two sales took against BREAKER_RESET_MS, which a
  // loaded machine decides: the state is checked, not which of the two texts is showing at that moment.
  const chip = page.getByTestId('status-chip');
  await expect(chip).toHaveText(/^(Офлайн|Связь с ОФД нестабильна) — 2 чека ждут отправки/);
  await expect(chip).toHaveClass(/\bchip-(offline|degraded)\b/);

  await managerSignIn(page, '4321');
  await ofd.setMode({ mode: 'up' });
  await expect(page.getByTestId('breaker')).toHaveText('Связь с ОФД: пробная отправка', {
    timeout: RECOVERY_RESET_MS + 10_000,
  });
}

/** Clicks «Синхронизировать сейчас» and returns the counts of the result line. */
async function syncNow(page: Page): Promise<{ sent: number; failed: number; skipped: number; dead: number }> {
  const outcome = page.getByTestId('sync-result');
  await page.getByRole('button', { name: 'Синхронизировать сейчас' }).click();
  await expect(outcome).toHaveText(RESULT);
  const [, sent, failed, skipped, dead] = (await outcome.textContent())!.match(RESULT)!.map(Number);
  return { sent: sent!, failed: failed!, skipped: skipped!, dead: dead! };
}

test('OFD back: the manager sets a PIN, signs in, syncs now, and the chip is online with nothing waiting', async ({
  page,
  station,
}) => {
  await outageThenBack(page, station.ofd);
  let sent = 0;
  // A manager presses again while something is left (see the next test: one press should be enough).
  for (let press = 0; press < 3 && sent < 2; press++) {
    const r = await syncNow(page);
    expect(r.failed).toBe(0);
    expect(r.dead).toBe(0);
    sent += r.sent;
    expect(r.skipped).toBe(2 - sent);
    await expect(page.getByRole('button', { name: 'Синхронизировать сейчас' })).toBeEnabled();
  }
  expect(sent).toBe(2);

  const chip = page.getByTestId('status-chip');
  await expect(chip).toHaveText('Онлайн'); // "Онлайн" alone: nothing waits
  await expect(page.getByTestId('breaker')).toHaveText('Связь с ОФД: в норме');
  const health = await station.ofd.health();
  expect(health.receipts_received).toBe(2);
  expect(health.duplicates).toBe(0);
});

test('one press of «Синхронизировать сейчас» drains the whole backlog after an outage', async ({
  page,
  station,
}) => {
  await outageThenBack(page, station.ofd);
  const r = await syncNow(page);
  expect(r).toEqual({ sent: 2, failed: 0, skipped: 0, dead: 0 });
  await expect(page.getByRole('progressbar', { name: 'Ход синхронизации' })).toHaveAttribute(
    'aria-valuetext',
    '2 из 2',
  );
});

test.describe('the breaker held open', () => {
  test.use({ stationEnv: stationEnv(STILL_DOWN_RESET_MS) });

  test('OFD still down: «Синхронизировать сейчас» tries once at once and says why nothing was sent and when the next try is', async ({
    page,
    station,
  }) => {
    await waitForStation(page);
    await station.ofd.setMode({ mode: 'down', status: 503 });
    await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);
    await expect(page.getByTestId('status-chip')).toHaveText(/^Офлайн — 1 чек ждёт отправки/);
    await managerSignIn(page, '4321');
    const calls = (await station.ofd.health()).call_count;
    const r = await syncNow(page);
    expect(r).toEqual({ sent: 0, failed: 1, skipped: 1, dead: 0 });
    expect((await station.ofd.health()).call_count).toBe(calls + 1);
    await expect(page.getByTestId('sync-held-back')).toHaveText(
      /^ОФД по-прежнему не отвечает, чеки остались в очереди: .+\. Следующая автоматическая попытка в \d{1,2}:\d{2}/,
    );
  });
});

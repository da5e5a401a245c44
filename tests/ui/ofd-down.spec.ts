// The OFD is down: the sale still prints at once (phase 1 never waits for the network), and the chip
// says the station is offline and how many receipts wait.
import { expect, test } from './station.ts';
import { cashSale, newSale, openTab, waitForStation } from './till.ts';

test.describe('breaker threshold 1', () => {
  // One failure opens the breaker, and it stays open for the whole test.
  test.use({ stationEnv: { STATION_BREAKER_THRESHOLD: '1', STATION_BREAKER_RESET_MS: '600000' } });

  test('OFD down: the sale prints and the chip shows offline with the waiting count', async ({
    page,
    station,
  }) => {
    await waitForStation(page);
    const chip = page.getByTestId('status-chip');
    await expect(chip).toHaveText('Онлайн');
    await station.ofd.setMode({ mode: 'down', status: 503 });

    await cashSale(page, [{ name: 'Хлеб', quantity: '2', price: '45,50' }], '100');
    await expect(
      page.getByRole('region', { name: 'Чек пробит' }).getByRole('status', { name: 'Сдача' }),
    ).toHaveText('9,00 ₽');

    // The worker tries at once, fails, and the breaker (threshold 1) opens.
    await expect(chip).toHaveText(/^Офлайн — 1 чек ждёт отправки, старейший \d+ мин$/);
    await expect(page.getByTestId('breaker')).toHaveText(
      /^Связь с ОФД: пауза после сбоев, след\. попытка \d{1,2}:\d{2}/,
    );
    expect((await station.ofd.health()).receipts_received).toBe(0);

    // Two more sales print just as well; the plural forms follow the count.
    await newSale(page);
    await cashSale(page, [{ name: 'Молоко', price: '89,99' }]);
    await expect(chip).toHaveText(/^Офлайн — 2 чека ждут отправки, старейший \d+ мин$/);
    await newSale(page);
    await cashSale(page, [{ name: 'Соль', price: '19,90' }]);
    await expect(chip).toHaveText(/^Офлайн — 3 чека ждут отправки/);

    // The status panel tells the same story.
    await openTab(page, 'Состояние');
    await expect(page.getByRole('heading', { name: 'Буфер чеков' })).toBeVisible();
    const fill = page.getByRole('progressbar', { name: 'Заполнение буфера' });
    await expect(fill).toHaveAttribute('aria-valuenow', '3');
    await expect(fill).toHaveAttribute('aria-valuetext', '3 из 200 (1 %)');
    await expect(page.getByRole('heading', { name: 'Связь с ОФД' })).toBeVisible();
    await expect(page.getByText('пауза после сбоев', { exact: true })).toBeVisible();
    // The last error in the shop's words; the station's English message stays the tooltip for support.
    // (The sync section shows the same words: this is the OFD link's.)
    const lastError = page
      .getByRole('region', { name: 'Связь с ОФД' })
      .getByText('ОФД ответил ошибкой 503', { exact: true });
    await expect(lastError).toBeVisible();
    await expect(lastError).toHaveAttribute('title', /^OFD error 503/);
    expect((await station.ofd.health()).receipts_received).toBe(0);
  });
});

test.describe('breaker threshold far away', () => {
  // Failures count, but the breaker stays closed: the link is "unstable", not "offline".
  test.use({ stationEnv: { STATION_BREAKER_THRESHOLD: '1000' } });

  test('OFD failing below the threshold: the chip says the link is unstable and counts the wait', async ({
    page,
    station,
  }) => {
    await waitForStation(page);
    const chip = page.getByTestId('status-chip');
    await expect(chip).toHaveText('Онлайн');
    await station.ofd.setMode({ mode: 'down', status: 503 });
    await cashSale(page, [{ name: 'Хлеб', price: '45,50' }]);
    await expect(chip).toHaveText(/^Связь с ОФД нестабильна — 1 чек ждёт отправки, старейший \d+ мин$/);
    await expect(page.getByTestId('breaker')).toHaveText('Связь с ОФД: в норме');
  });
});

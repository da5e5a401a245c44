// The FN → OFD relay on «Состояние» (STATION_OFD_SERVER set): its own panel, and why it last failed in
// the shop's Russian words with the relay's English message as the tooltip for support.
import { expect, test } from './station.ts';
import { fact, openTab, waitForStation } from './till.ts';

test.describe('the OFD server for the FN refuses connections', () => {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  test.use({ stationEnv: { STATION_OFD_SERVER: '127.0.0.1:1' } });

  test('the relay panel says in Russian that the server is unreachable; the English is the tooltip', async ({
    page,
    station,
  }) => {
    await waitForStation(page);
    // The shift's opening is an FN document for the OFD: the relay tries to send it.
    const opened = await station.rest('POST', '/v1/kkt/shift/open', { cashier_name: 'Кассир Тестова' });
    expect(opened.status).toBe(200);

    await openTab(page, 'Состояние');
    const panel = page.getByRole('region', { name: 'Документы ФН в ОФД' });
    await expect(panel).toContainText('касса сама передаёт сообщения ФН на сервер ОФД');
    expect(await fact(page, 'Документы ФН в ОФД', 'Сервер ОФД')).toBe('127.0.0.1:1');
    await expect
      .poll(() => fact(page, 'Документы ФН в ОФД', 'Последняя ошибка'))
      .toBe(
        'Сервер ОФД 127.0.0.1:1 недоступен (ECONNREFUSED). Проверьте интернет и адрес сервера ОФД; документы ждут в ФН',
      );
    await expect(panel.getByTitle('OFD unreachable: connection refused (127.0.0.1:1)')).toBeVisible();
  });
});

test('without STATION_OFD_SERVER the KKT sends by itself: no relay panel', async ({ page }) => {
  await waitForStation(page);
  await openTab(page, 'Состояние');
  await expect(page.getByRole('region', { name: 'ККТ' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Документы ФН в ОФД' })).toHaveCount(0);
});

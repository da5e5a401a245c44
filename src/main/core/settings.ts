// The settings a manager may change while the station runs: the KKT's port and baud rate, the OFD's
// address and token, the buffer's capacity, the cashier's discount limit. One schema says which keys and values are allowed (the
// same rules as config.json and STATION_*); a change is written to the data directory's config.json
// before it takes effect, so what runs is never ahead of what a restart would load.
//
// Applied at once: the OFD client (the breaker sends through the new one from its next call; its
// counts stay), the capacity and the discount limit (read by every sale). A KKT change is saved but needs a restart: the
// open device is not swapped under a print. After start-up this service is the only writer of these
// fields of the station's config. The OFD token is write-only: never shown, never journaled.
import { z } from 'zod';
import { CONFIG_SCHEMA, updateConfigFile, type StationConfig } from './config.ts';
import type { Journal } from './buffer/journal.ts';
import { OfdClient } from './ofd/ofd-client.ts';
import type { OfdBreaker } from './sync/ofd-breaker.ts';
import type { SyncWorker } from './sync/sync-worker.ts';
import type { SettingsView } from '../../shared/contract.ts';

export const SETTINGS_PATCH_SCHEMA = z
  .object({
    kkt: CONFIG_SCHEMA.shape.kkt.unwrap().optional(),
    kktBaud: CONFIG_SCHEMA.shape.kktBaud.unwrap().optional(),
    ofdUrl: CONFIG_SCHEMA.shape.ofdUrl.unwrap().optional(),
    ofdToken: CONFIG_SCHEMA.shape.ofdToken.unwrap().optional(),
    bufferCapacity: CONFIG_SCHEMA.shape.bufferCapacity.unwrap().optional(),
    cashierDiscountLimitPercent: CONFIG_SCHEMA.shape.cashierDiscountLimitPercent.unwrap().optional(),
  })
  .strict();

export type SettingsPatch = z.output<typeof SETTINGS_PATCH_SCHEMA>;

export class StationSettings {
  constructor(
    private readonly deps: {
      config: StationConfig;
      breaker: OfdBreaker;
      worker: SyncWorker;
      journal: Journal;
    },
  ) {}

  current(): SettingsView {
    const c = this.deps.config;
    return {
      kkt: c.kkt,
      kktBaud: c.kktBaud,
      ofdUrl: c.ofdUrl,
      ofdTokenSet: Boolean(c.ofdToken),
      bufferCapacity: c.bufferCapacity,
      cashierDiscountLimitPercent: c.cashierDiscountLimitPercent,
    };
  }

  /** Validates, saves, applies. `restartRequired`: the KKT part takes effect at the next start. */
  update(input: SettingsPatch): { restartRequired: boolean } {
    const patch = SETTINGS_PATCH_SCHEMA.parse(input);
    const { config, breaker, worker, journal } = this.deps;
    const restartRequired =
      (patch.kkt !== undefined && patch.kkt !== config.kkt) ||
      (patch.kktBaud !== undefined && patch.kktBaud !== config.kktBaud);
    const ofdChanged = patch.ofdUrl !== undefined || patch.ofdToken !== undefined;
    // Built before anything is saved: a URL the client refuses leaves file and station as they were.
    const ofdClient = ofdChanged
      ? new OfdClient({
          baseUrl: patch.ofdUrl ?? config.ofdUrl,
          token: patch.ofdToken ?? config.ofdToken,
          timeoutMs: config.ofdTimeoutMs,
        })
      : null;
    updateConfigFile(config.dataDir, patch);
    if (patch.kkt !== undefined) config.kkt = patch.kkt;
    if (patch.kktBaud !== undefined) config.kktBaud = patch.kktBaud;
    if (patch.ofdUrl !== undefined) config.ofdUrl = patch.ofdUrl;
    if (patch.ofdToken !== undefined) config.ofdToken = patch.ofdToken;
    if (patch.bufferCapacity !== undefined) config.bufferCapacity = patch.bufferCapacity;
    if (patch.cashierDiscountLimitPercent !== undefined)
      config.cashierDiscountLimitPercent = patch.cashierDiscountLimitPercent;
    if (ofdClient) breaker.setClient(ofdClient);
    const changed = Object.entries(patch).map(([k, v]) =>
      k === 'ofdToken' ? 'ofdToken (secret)' : `${k}=${String(v)}`,
    );
    journal.append(
      'config_changed',
      `Settings changed by the manager: ${changed.join(', ')}${restartRequired ? ' (KKT changes apply after a restart)' : ''}`,
      null,
      { fields: Object.keys(patch), restart_required: restartRequired },
      'settings_changed',
    );
    if (ofdClient) worker.kick();
    return { restartRequired };
  }
}

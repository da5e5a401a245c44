// The Electron build's transport (vite.config.ts picks this file for `dist/renderer-electron`): the
// StationApi the preload (src/preload/index.ts) puts on `window.station`, carried over IPC. This build
// contains no other transport: a window without `window.station` (the preload failed to load or threw)
// is an error on screen, never a fallback to fetch, which on file:// would reach nothing.
import type { StationApi } from '../../shared/contract.ts';
import { TransportUnavailableError } from './unavailable.ts';

declare global {
  interface Window {
    /** Filled by the preload through contextBridge; absent when the preload did not run. */
    station?: StationApi;
  }
}

/** The preload's StationApi. Same signature as index.browser.ts's; throws when the preload is missing. */
export function connectStation(): StationApi {
  const api = window.station;
  if (!api) {
    throw new TransportUnavailableError(
      'Касса не может связаться с программой станции',
      'Окно кассы открылось без модуля связи (preload): ни одна команда не дойдёт до кассового аппарата, поэтому продажа невозможна.',
      'Закройте программу и запустите её снова. Если ошибка повторится, переустановите программу Cashier Station или обратитесь в поддержку и сообщите текст этого сообщения.',
    );
  }
  return api;
}

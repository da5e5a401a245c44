import type { OfdFailureWhy } from './ofd-failure.ts';

// Why a receipt went to the failed-sends queue (DLQ), as a code with parameters: the station stores
// it beside its English reason, and the UI words it (src/renderer/i18n: dlqReasonText).
export type DlqReason =
  /** The OFD refused the receipt for good (4xx); `detail` is the OFD's own words, if it gave any. */
  | { code: 'ofd_rejected'; status: number; detail: string | null }
  /** Every attempt failed (the OFD or the network kept failing); `detail` is the last failure, `failure`
   *  its code for the UI's words (absent in entries stored before it existed). */
  | { code: 'attempts_exhausted'; attempts: number; detail: string | null; failure?: OfdFailureWhy | null };

export type DlqReasonCode = DlqReason['code'];

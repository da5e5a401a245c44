// Why the FN relay (src/main/core/fn-relay) last failed, as a code with parameters: the relay keeps it
// beside its English `lastError` (kept for support and the log), and the UI words it for the shop
// (src/renderer/i18n: fnRelayFailureText), as the OFD sync's failures are worded (ofd-failure.ts).
export const FN_RELAY_FAILURE_CODES = [
  'ofd_unreachable',
  'ofd_timeout',
  'ofd_bad_answer',
  'ofd_closed_early',
  'fn_refused_answer',
  'fn_message_torn',
  'kkt_not_connected',
  'kkt_error',
] as const;

export type FnRelayFailureCode = (typeof FN_RELAY_FAILURE_CODES)[number];

export type FnRelayFailureWhy =
  /** No TCP connection to the OFD server (`host:port`); `error` is the system code (ECONNREFUSED…). */
  | { code: 'ofd_unreachable'; params: { server: string; error: string | null } }
  /** The OFD server gave no whole answer within the timeout. */
  | { code: 'ofd_timeout'; params: { server: string; ms: number } }
  /** The OFD server answered something that is not a session message (or more than one can hold). */
  | { code: 'ofd_bad_answer'; params: { server: string } }
  /** The OFD server closed the connection before its whole answer. */
  | { code: 'ofd_closed_early'; params: { server: string; received: number; expected: number } }
  /** The FN did not accept the OFD's answer (FN error 20h): the document stays unsent in the FN. */
  | { code: 'fn_refused_answer'; params: { deviceMessage: string | null } }
  /** The FN's message read back with a length other than its header's (null: no header): not sent. */
  | { code: 'fn_message_torn'; params: { size: number; announced: number | null } }
  | { code: 'kkt_not_connected'; params: Record<string, never> }
  /** The KKT refused a buffer command (FF30h–FF33h, table 21); its own code and words when it gave them. */
  | { code: 'kkt_error'; params: { deviceCode: number | null; deviceMessage: string | null } };

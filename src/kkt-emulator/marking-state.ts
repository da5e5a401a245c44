// The emulated FN's marking-code state (volatile, as the FN's check buffer is for one receipt): the
// check waiting for FF69h, the table of accepted checks the open receipt may bind (at most 128), and
// the test controls: which codes the FN or the marking server (ОИСМ) rejects, and whether the server
// answers at all. The handlers are in marking-handlers.ts.

/** How the emulated marking server answers FF61h: online, not in time (0xFF), or not asked (autonomous). */
export type MarkServerMode = 'online' | 'no_answer' | 'autonomous';

/** Which check a rejected code fails: the FN's crypto check (2004) or the server's status check (2106). */
export type MarkRejection = 'crypto' | 'status';

export interface MarkCheck {
  code: string;
  plannedStatus: number;
  codeType: number;
  result2106: number;
}

export const MAX_MARKS_PER_RECEIPT = 128;

export class MarkingState {
  server: MarkServerMode = 'online';
  /** GTIN + serial → the check it fails (keyed so any scanner form of the code matches). */
  readonly rejected = new Map<string, MarkRejection>();
  /** Checked by FF61h, waiting for FF69h. */
  pending: MarkCheck | null = null;
  /** Accepted checks, by code, until the receipt is closed or cancelled. */
  readonly table = new Map<string, MarkCheck>();

  /** The receipt ended (closed or cancelled): its checks go with it. */
  clear(): void {
    this.pending = null;
    this.table.clear();
  }
}

// Durable state of the emulated KKT + FN. Everything a real FN never forgets lives here: document
// numbering, the shift, the archive and the OFD queue. Every change is made durable before the emulator
// sends the answer frame (one journal record and one fdatasync; the snapshot and the journal are
// state-journal.ts), so a crash (the in-process emulator dies with the station on kill -9) can never
// make numbering restart or a fiscalised document disappear.
//
// A commit that cannot be written (a read-only or immutable data directory, a full disk) rolls the
// in-memory state back to the last state that reached the disk before it throws: the handlers change
// the state first and commit last, so the rollback undoes the whole command, and the refusal the
// emulator then answers (FN failure, 03h) is true: no FD consumed, nothing in the archive. Without it
// the emulator answered a refusal for documents it kept in memory (phantom FD 5–7, then FD 8 on retry).
// The last committed head is kept as its JSON text (the string the commit wrote), so the rollback costs
// one parse and nothing on the success path but holding the string.
//
// A journal record writes `unsent` (the FDs the OFD has not confirmed) as runs of consecutive numbers
// (unsentRuns): documents join it at the end and leave from the front, so it is one run however long
// the OFD has been out of reach. Listed number by number, every record grew with the queue: with nothing
// to deliver the FN's documents (no relay, a KKT without a network) a demo day's 5,000 receipts made each
// record about 25 KB, and the 1 MiB journal rolled over into a whole-archive snapshot every 40 sales.
// Snapshots keep the plain list; a record written by a version before this one has it too, and both load.

import { existsSync } from 'node:fs';
import {
  JOURNAL_BYTES,
  appendRecord,
  headJson,
  loadState,
  resetJournal,
  writeSnapshot,
  type LoadedState,
} from './state-journal.ts';

export interface KktIdentity {
  /** KKT serial number. */
  serial: number;
  /** User INN (10 or 12 digits). */
  inn: string;
  /** Tag 1037, 16 digits. */
  regNumber: string;
  /** Tag 1041, 16 digits. */
  fnNumber: string;
  /** Tag 1062 bitmask: the tax systems the KKT is registered for (1 = ОСН; src/shared/tax-systems.ts). */
  taxSystems: number;
  /** FF03h: the FN's validity date, YYYY-MM-DD (a fresh device: registration + 36 months, an ФН-36). */
  fnExpiresOn: string;
  /** Tag 1209 / table 17 field 17: 4 = FFD 1.2. */
  ffdVersion: number;
}

export interface PaymentSplit {
  cashKop: number;
  /** Payment type 2 (card). */
  type2Kop: number;
  /** Payment type 3 (electronic). */
  type3Kop: number;
  /** Payment type 14, prepayment offset (1215): the station's "other". Absent in older state files. */
  prepaymentKop?: number;
  /** Types 4…16 other than 14, together. */
  restKop: number;
}

/** Correction receipts of the shift (FFD 1.2; the FN's 1133 counters), by the operation corrected. */
export interface CorrectionCounters {
  saleCount: number;
  saleKop: number;
  refundCount: number;
  refundKop: number;
}

export interface ShiftCounters {
  saleReceipts: number;
  saleReturnReceipts: number;
  /** Per payment type, cash net of change. */
  sales: PaymentSplit;
  saleReturns: PaymentSplit;
  cashInKop: number;
  cashOutKop: number;
  /** Absent in older state files and in shifts without corrections. */
  corrections?: CorrectionCounters;
}

/** One item line as the archive keeps it (quantity with three decimals as the FN keeps it). */
export interface ArchivedItem {
  name: string;
  quantity: string;
  priceKop: number;
  sumKop: number;
  vatByte: number;
  paymentMethod: number;
  paymentSubject: number;
  /** FF4Dh tags of the line: 2108 … */
  tags?: Record<string, string>;
}

export interface ArchivedDocument {
  fd: number;
  /** FN archive type: 2 shift open, 3 receipt, 31 correction receipt, 5 shift close. */
  type: number;
  /** Local KKT time, YYYY-MM-DDTHH:MM:SS. */
  datetime: string;
  fp: number;
  shiftNumber: number;
  /** Receipts: 1054 operation and total. */
  operation?: number;
  amountKop?: number;
  receiptNumber?: number;
  /** Receipts: the tag 1055 bit FF45h carried. */
  taxSystem?: number;
  payments?: PaymentSplit;
  changeKop?: number;
  itemCount?: number;
  items?: ArchivedItem[];
  /** Extra TLVs sent with FF0Ch, tag → decoded text. */
  tags?: Record<string, string>;
  /** Receipts: the marking codes bound to lines (FF67h), line index from 0, with tag 2106. */
  marks?: { line: number; code: string; result2106: number }[];
  /** Shift close: the counters the Z report printed. */
  counters?: ShiftCounters;
}

export interface DurableState {
  version: 1;
  identity: KktIdentity;
  /** Registration time (FF09h). */
  registeredAt: string;
  /** Tag 1040 of the last fiscal document; the next one is lastFd + 1. */
  lastFd: number;
  /** Through number of all documents, fiscal and not (50h/51h answer it). */
  documentNumber: number;
  shift: {
    number: number;
    open: boolean;
    /** Local KKT time of the opening. */
    openedAt: string | null;
    /** Epoch ms of the opening by the emulator clock, for the 24-hour rule. */
    openedAtMs: number | null;
    /** Receipts closed in this shift (tag 1042 of the last one). */
    receiptNumber: number;
    counters: ShiftCounters;
  };
  cashInDrawerKop: number;
  archive: ArchivedDocument[];
  /** FD numbers not yet delivered to the OFD, oldest first. */
  unsent: number[];
  /** Table 21 field 2 «Режим обмена с ОФД»: 0 through the host, 1 (or absent) by the KKT itself. */
  ofdExchangeMode?: number;
  /** 28h: how often drawer 0 and drawer 1 were opened (absent in state files written before it existed). */
  drawerOpenings?: number[];
}

export const DEFAULT_IDENTITY: KktIdentity = {
  serial: 12_345_678,
  inn: '7700000000',
  regNumber: '0000000001012345',
  // 9999… is the prefix of test/"МГМ" FNs: the emulator never claims a real FN number.
  fnNumber: '9999078900000001',
  taxSystems: 1,
  fnExpiresOn: '', // set from the registration date (fnExpiryFor)
  ffdVersion: 4,
};

/** (choice) A fresh emulator's FN is valid 36 months from its registration, as an ФН-36. */
export function fnExpiryFor(registeredAt: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(registeredAt);
  if (!m) return '2099-12-31';
  return `${Number(m[1]) + 3}-${m[2]}-${m[3] === '29' && m[2] === '02' ? '28' : m[3]}`;
}

/** An identity with every field: state files written before a field existed get its default. */
function withDefaults(identity: Partial<KktIdentity>, registeredAt: string): KktIdentity {
  const full = { ...DEFAULT_IDENTITY, ...identity };
  if (!full.fnExpiresOn) full.fnExpiresOn = fnExpiryFor(registeredAt);
  return full;
}

export function emptySplit(): PaymentSplit {
  return { cashKop: 0, type2Kop: 0, type3Kop: 0, prepaymentKop: 0, restKop: 0 };
}

export function emptyCorrectionCounters(): CorrectionCounters {
  return { saleCount: 0, saleKop: 0, refundCount: 0, refundKop: 0 };
}

export function emptyCounters(): ShiftCounters {
  return {
    saleReceipts: 0,
    saleReturnReceipts: 0,
    sales: emptySplit(),
    saleReturns: emptySplit(),
    cashInKop: 0,
    cashOutKop: 0,
  };
}

export function initialState(identity: Partial<KktIdentity>, registeredAt: string): DurableState {
  return {
    version: 1,
    identity: withDefaults(identity, registeredAt),
    registeredAt,
    lastFd: 0,
    documentNumber: 0,
    shift: {
      number: 0,
      open: false,
      openedAt: null,
      openedAtMs: null,
      receiptNumber: 0,
      counters: emptyCounters(),
    },
    cashInDrawerKop: 0,
    archive: [],
    unsent: [],
  };
}

/** The state could not be made durable; the in-memory state was rolled back to the last committed one. */
export class StateSaveError extends Error {
  constructor(path: string, cause: Error) {
    super(`cannot save the KKT emulator state to ${path}: ${cause.message}`, { cause });
    this.name = 'StateSaveError';
  }
}

/** Holds the state and persists it; `path` null keeps it in memory only (unit tests, bench). */
export class StateStore {
  /** The head (state-journal.ts) of the last state that reached the disk, as JSON; null in memory. */
  private committedHead: string | null;
  /** How many archive documents the last state on disk holds. */
  private committedDocs: number;
  /** Sequence number of the last journal record (or of the snapshot). */
  private seq: number;
  /** Where the next journal record goes; JOURNAL_BYTES = full, the next commit writes a snapshot. */
  private journalPos = 0;

  private constructor(
    readonly path: string | null,
    readonly state: DurableState,
    seq: number,
  ) {
    this.seq = seq;
    this.committedHead = path ? headJson(state) : null;
    this.committedDocs = state.archive.length;
  }

  /**
   * Loads the snapshot and its journal when the file exists, otherwise starts a fresh device. Either
   * way the state is then in the snapshot alone, with an empty journal (unless it already was).
   */
  static open(path: string | null, identity: Partial<KktIdentity>, now: string): StateStore {
    if (path && existsSync(path)) {
      const loaded = loadDurable(path);
      loaded.state.identity = withDefaults(loaded.state.identity, loaded.state.registeredAt);
      const store = new StateStore(path, loaded.state, loaded.seq);
      if (!loaded.journalClean) store.snapshotOrThrow();
      return store;
    }
    const store = new StateStore(path, initialState(identity, now), 0);
    if (path) store.snapshotOrThrow();
    return store;
  }

  /**
   * Durable before it returns: after this, a crash cannot lose the change. One journal record (one
   * fdatasync), or a snapshot when the journal is full. When the write fails, the in-memory state goes
   * back to the last committed one and StateSaveError is thrown.
   */
  commit(): void {
    if (!this.path) return;
    const head = recordHead(this.state);
    const docs = JSON.stringify(this.state.archive.slice(this.committedDocs));
    try {
      const next = appendRecord(this.path, this.journalPos, this.seq + 1, `{"head":${head},"docs":${docs}}`);
      if (next === null) this.snapshot();
      else {
        this.journalPos = next;
        this.seq++;
      }
    } catch (e) {
      this.rollback();
      throw new StateSaveError(this.path, e as Error);
    }
    this.committedHead = head;
    this.committedDocs = this.state.archive.length;
  }

  /** A clean stop: the state into the snapshot alone, so the file reads whole without its journal. */
  close(): void {
    if (!this.path || this.journalPos === 0) return;
    try {
      this.snapshot();
    } catch {
      // The journal still holds every record: the next open applies them.
    }
  }

  /** Writes the snapshot, then empties the journal; a failed emptying only makes the next commit snapshot again. */
  private snapshot(): void {
    writeSnapshot(this.path!, this.state, this.seq);
    try {
      resetJournal(this.path!);
      this.journalPos = 0;
    } catch {
      this.journalPos = JOURNAL_BYTES;
    }
  }

  private snapshotOrThrow(): void {
    try {
      this.snapshot();
    } catch (e) {
      throw new StateSaveError(this.path!, e as Error);
    }
    this.committedHead = recordHead(this.state);
    this.committedDocs = this.state.archive.length;
  }

  /**
   * Puts the last committed state back in place (the object stays the same: handlers hold it). The
   * archive only grows, so dropping the documents added since is enough for it.
   */
  private rollback(): void {
    if (this.committedHead === null) return;
    const previous = withUnsentList(JSON.parse(this.committedHead) as RecordHead);
    const target = this.state as unknown as Record<string, unknown>;
    for (const key of Object.keys(target)) if (key !== 'archive') delete target[key];
    Object.assign(target, previous);
    this.state.archive.length = this.committedDocs;
  }

  document(fd: number): ArchivedDocument | undefined {
    // FD numbers are dense and start at 1, so the index is a fast path; fall back to a search.
    const guess = this.state.archive[fd - 1];
    if (guess?.fd === fd) return guess;
    return this.state.archive.find((d) => d.fd === fd);
  }
}

/** The state a fresh emulator would load from `path` (snapshot + journal), for tools and tests; writes nothing. */
export function readDurableState(path: string): DurableState {
  return loadDurable(path).state;
}

function loadDurable(path: string): LoadedState<DurableState> {
  const loaded = loadState<DurableState | (RecordHead & Pick<DurableState, 'archive'>)>(path, (parsed) => {
    if (parsed.version !== 1 || typeof parsed.lastFd !== 'number' || !Array.isArray(parsed.archive))
      throw new Error(`${path}: not a KKT emulator state file (version ${String(parsed.version)})`);
  });
  return { ...loaded, state: withUnsentList(loaded.state) };
}

/** A journal record's head: the state without its archive, `unsent` as runs of consecutive FDs. */
type RecordHead = Omit<DurableState, 'archive' | 'unsent'> & { unsentRuns: [number, number][] };

function recordHead(state: DurableState): string {
  const runs: [number, number][] = [];
  for (const fd of state.unsent) {
    const last = runs.at(-1);
    if (last && fd === last[1] + 1) last[1] = fd;
    else runs.push([fd, fd]);
  }
  const { unsent: _unsent, ...rest } = state;
  const head = { ...rest, unsentRuns: runs };
  return headJson(head);
}

/** A head or state as read (runs from a record, a plain list from a snapshot or an older record), with the plain list. */
function withUnsentList<S extends { unsent?: number[]; unsentRuns?: [number, number][] }>(
  head: S,
): Omit<S, 'unsentRuns'> & { unsent: number[] } {
  const { unsentRuns, ...rest } = head;
  if (!unsentRuns) return { ...rest, unsent: head.unsent ?? [] };
  const unsent: number[] = [];
  for (const [first, last] of unsentRuns) for (let fd = first; fd <= last; fd++) unsent.push(fd);
  return { ...rest, unsent };
}

// The emulator's durable state on disk: a snapshot and a journal beside it.
//
// - `<state>` (kkt-emulator.json): the whole DurableState as JSON, plus `journalSeq`, the number of the
//   last journal record it already contains. Written atomically (temp file, fsync, rename, fsync of the
//   directory), but only at start-up, at a clean close and when the journal is full.
// - `<state>.journal`: a file of JOURNAL_BYTES preallocated with zeros, holding one record per commit
//   after the snapshot: [length u32][seq u32][crc32 u32 of seq + payload][payload]. A payload is
//   `{"head": the state without its archive, "docs": the archive documents added by that commit}`.
//
// Why: a fiscal document used to rewrite the whole state, archive included, through a rename and a
// directory fsync: 2 fsyncs and O(archive) bytes per receipt (28× a bare SQLite insert at p50). A record
// is one write into space that is already allocated and one fdatasync: no file-size or directory change
// reaches the file system's journal, so it is the one durable write a fiscal document needs.
//
// Crash guarantees, the same as the rename's: the answer leaves only after the record's fdatasync, so an
// acknowledged document is in a whole record. A crash mid-write leaves a torn record at the end, which
// its length, checksum and sequence number reject; the command it held was never answered, as when a
// device loses power before its FN wrote. Records are read while each has the next sequence number, so
// stale ones (left by an interrupted reset, or beyond the end) are never replayed.
//
// The archive only grows (documents are appended and never changed), which is what makes "head + new
// documents" a complete description of a commit.

import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';

export const JOURNAL_SUFFIX = '.journal';
/** (choice) About 900 one-line receipts between two snapshots; 1 MiB is nothing beside a buffer. */
export const JOURNAL_BYTES = 1 << 20;
const HEADER_BYTES = 12;

/** What the journal needs of a state (state.ts DurableState): an archive that only grows; the rest is its head. */
export interface JournaledState {
  archive: unknown[];
}

export function journalPath(statePath: string): string {
  return statePath + JOURNAL_SUFFIX;
}

/** The state without its archive, as JSON: what every record repeats. */
export function headJson(state: JournaledState): string {
  const { archive: _archive, ...head } = state;
  return JSON.stringify(head);
}

/** Loaded state: the snapshot with the journal's records applied. */
export interface LoadedState<S extends JournaledState> {
  state: S;
  /** Sequence number of the last record applied (or the snapshot's own). */
  seq: number;
  /** True when the journal exists, has the right size and holds no record past the snapshot. */
  journalClean: boolean;
}

/**
 * Reads the snapshot and applies the journal; writes nothing. `check` throws on a snapshot that is not
 * a state file.
 */
export function loadState<S extends JournaledState>(
  path: string,
  check: (snapshot: S) => void,
): LoadedState<S> {
  // A reader in another process may meet a snapshot being replaced: read again when it changed under us.
  for (let attempt = 1; ; attempt++) {
    const before = statSync(path);
    const loaded = loadOnce(path, check);
    const after = statSync(path);
    if ((before.ino === after.ino && before.mtimeMs === after.mtimeMs) || attempt >= 5) return loaded;
  }
}

function loadOnce<S extends JournaledState>(path: string, check: (snapshot: S) => void): LoadedState<S> {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as S & { journalSeq?: number };
  check(parsed);
  let seq = typeof parsed.journalSeq === 'number' ? parsed.journalSeq : 0;
  delete parsed.journalSeq;
  let state: S = parsed;
  const jPath = journalPath(path);
  if (!existsSync(jPath)) return { state, seq, journalClean: false };
  const journal = readFileSync(jPath);
  let pos = 0;
  let applied = 0;
  for (;;) {
    const record = readRecord(journal, pos, seq + 1);
    if (!record) break;
    const { head, docs } = JSON.parse(record.payload) as { head: Omit<S, 'archive'>; docs: unknown[] };
    state = { ...head, archive: state.archive } as S;
    state.archive.push(...docs);
    seq++;
    applied++;
    pos = record.end;
  }
  const zeroHeader =
    journal.length >= HEADER_BYTES && journal.subarray(0, HEADER_BYTES).every((b) => b === 0);
  return { state, seq, journalClean: applied === 0 && journal.length === JOURNAL_BYTES && zeroHeader };
}

/** The record at `pos` if it is whole, checks out and carries `seq`; null otherwise (the end). */
function readRecord(buf: Buffer, pos: number, seq: number): { payload: string; end: number } | null {
  if (pos + HEADER_BYTES > buf.length) return null;
  const length = buf.readUInt32LE(pos);
  const end = pos + HEADER_BYTES + length;
  if (length === 0 || end > buf.length || buf.readUInt32LE(pos + 4) !== seq) return null;
  const body = buf.subarray(pos + 4, pos + 8);
  const payload = buf.subarray(pos + HEADER_BYTES, end);
  if (crc32(payload, crc32(body)) !== buf.readUInt32LE(pos + 8)) return null;
  return { payload: payload.toString('utf8'), end };
}

/**
 * Writes one record at `pos` and makes it durable (one write, one fdatasync); returns the next
 * position, or null when it does not fit (the caller writes a snapshot instead). The file is opened per
 * record, so a directory made read-only or moved away is met at the next document, as a rename met it.
 */
export function appendRecord(path: string, pos: number, seq: number, payload: string): number | null {
  const body = Buffer.from(payload, 'utf8');
  const end = pos + HEADER_BYTES + body.length;
  if (end > JOURNAL_BYTES) return null;
  const record = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  record.writeUInt32LE(body.length, 0);
  record.writeUInt32LE(seq, 4);
  record.writeUInt32LE(crc32(body, crc32(record.subarray(4, 8))), 8);
  body.copy(record, HEADER_BYTES);
  const fd = openSync(journalPath(path), 'r+');
  try {
    writeSync(fd, record, 0, record.length, pos);
    try {
      fdatasyncSync(fd);
    } catch (err) {
      // The record may still reach the disk later, and the command is about to be refused: unmake it.
      try {
        writeSync(fd, Buffer.alloc(HEADER_BYTES), 0, HEADER_BYTES, pos);
        fdatasyncSync(fd);
      } catch {
        // nothing more can be done; the next record is written over it
      }
      throw err;
    }
  } finally {
    closeSync(fd);
  }
  return end;
}

/** The whole state as the snapshot, atomically and durably; `seq` is the last record it contains. */
export function writeSnapshot(path: string, state: JournaledState, seq: number): void {
  writeDurably(path, JSON.stringify({ ...state, journalSeq: seq }));
}

/**
 * An empty journal after a snapshot: JOURNAL_BYTES of zeros, synced with its directory entry. A crash
 * before it ends leaves records the snapshot already holds, which their sequence numbers make the
 * loader skip.
 */
export function resetJournal(path: string): void {
  const fd = openSync(journalPath(path), 'w');
  try {
    writeSync(fd, Buffer.alloc(JOURNAL_BYTES));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncDirectory(dirname(path)); // its directory entry, when it was just created
}

function writeDurably(path: string, json: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, json);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  syncDirectory(dirname(path)); // the rename itself must reach the disk too
}

function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

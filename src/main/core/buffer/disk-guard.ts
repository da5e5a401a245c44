// Disk space for the buffer, so the `printed` record of a receipt the KKT already fiscalised can always
// be written. Two rules, both measured on the data directory's own file system (fs.statfs):
//
// - A free-space floor for NEW fiscal documents: below DISK_FLOOR_BYTES free, a sale (or the replay of
//   one never printed) is refused with disk_full before it is stored and before the KKT hears of it.
//   The floor leaves room for what a sale already on the KKT still has to write (its record, the OFD
//   delivery, the journal) and for the other writers on the disk (logs).
// - A reserve file, `buffer.reserve` (DISK_RESERVE_BYTES, written out, not sparse), created at start and
//   again whenever there is room. When a `printed` commit fails with SQLITE_FULL anyway (another program
//   filled the disk between the check and the commit), the fiscal service deletes it and commits again.
//   A few hundred KB suffice for one record; 4 MB covers a WAL that must grow to its 1 MB bound.
//
// Health reads status(): `full` (below the floor) makes the station unhealthy.
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  statfsSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';
import { DiskFullError } from '../../../shared/errors.ts';

export const DISK_RESERVE_BYTES = 4 * 1024 * 1024;
export const DISK_FLOOR_BYTES = 16 * 1024 * 1024;
export const RESERVE_FILE = 'buffer.reserve';

export interface DiskStatus {
  status: 'ok' | 'full';
  freeBytes: number;
  floorBytes: number;
  /** The reserve file is in place (false after it was used, until there is room again). */
  reserved: boolean;
}

export class DiskGuard {
  readonly reserveFile: string;

  constructor(
    private readonly dir: string,
    private readonly log: Logger,
    private readonly reserveBytes = DISK_RESERVE_BYTES,
    private readonly floorBytes = DISK_FLOOR_BYTES,
  ) {
    this.reserveFile = join(dir, RESERVE_FILE);
  }

  /** Bytes an unprivileged writer may still use on the data directory's file system. */
  freeBytes(): number {
    const s = statfsSync(this.dir);
    return Number(s.bavail) * Number(s.bsize);
  }

  reserved(): boolean {
    try {
      return statSync(this.reserveFile).size >= this.reserveBytes;
    } catch {
      return false;
    }
  }

  /** Writes the reserve file when it is missing and the disk has room for it above the floor. */
  ensureReserve(): void {
    if (this.reserved()) return;
    if (this.freeBytes() < this.floorBytes + this.reserveBytes) return;
    let fd: number | null = null;
    try {
      fd = openSync(this.reserveFile, 'w', 0o600);
      const chunk = Buffer.alloc(64 * 1024);
      for (let written = 0; written < this.reserveBytes; written += chunk.length) writeSync(fd, chunk);
      fsyncSync(fd);
    } catch (e) {
      this.log.warn(`Could not reserve disk space in ${this.reserveFile}: ${(e as Error).message}`);
      if (fd !== null) closeSync(fd);
      fd = null;
      this.releaseReserve();
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }

  /** Deletes the reserve file; true if there was one to free. */
  releaseReserve(): boolean {
    if (!existsSync(this.reserveFile)) return false;
    try {
      unlinkSync(this.reserveFile);
      return true;
    } catch (e) {
      this.log.error(`Could not release the disk reserve ${this.reserveFile}: ${(e as Error).message}`);
      return false;
    }
  }

  /** Before a new fiscal document: refuses below the floor; puts the reserve back when there is room. */
  checkNewSale(): void {
    const free = this.freeBytes();
    if (free < this.floorBytes) {
      throw new DiskFullError(
        `${mb(free)} free on the disk of ${this.dir}, ${mb(this.floorBytes)} needed to take a sale safely`,
        { free_bytes: free, floor_bytes: this.floorBytes },
      );
    }
    if (!this.reserved()) this.ensureReserve();
  }

  status(): DiskStatus {
    const freeBytes = this.freeBytes();
    return {
      status: freeBytes < this.floorBytes ? 'full' : 'ok',
      freeBytes,
      floorBytes: this.floorBytes,
      reserved: this.reserved(),
    };
  }
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

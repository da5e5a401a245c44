// The one mapping from a thrown error to what crosses a transport: the contract's `{code, message,
// details?}` (IPC and the browser host answer it in a Result, the REST API in its JSON body) plus the
// HTTP status. A StationError (the taxonomy in src/shared/errors.ts) says what went wrong and what to
// do, so it passes as it is; a zod error is an argument that failed its schema at the boundary. Anything
// else is a bug: it is logged with its stack, and the answer says so without the internals (no stack,
// no paths, no SQL). One exception: SQLite's SQLITE_FULL, wherever it comes from, is a full disk the
// operator can act on (disk_full, 507), not a bug.
//
// Every refusal a caller gets is logged here, the one place all transports pass: "Refused <request>:
// <code> (<status>) <message>" — at warn, except bad input (validation_error, 400/422 bad requests),
// which is the caller's mistake and logged at info. The line passes the log's redaction like any other.
import { z } from 'zod';
import { DiskFullError, StationError, type CommandError } from '../../shared/errors.ts';
import type { Logger } from '../core/logger.ts';

export const INTERNAL_ERROR_MESSAGE =
  'The station hit an internal error; nothing was lost. The details are in the station log: export diagnostics and send them to support.';

export interface WireError {
  status: number;
  error: CommandError;
}

/** `context` names what failed in the log line of an unexpected error, e.g. "Command receipt.create". */
export function toWireError(e: unknown, log: Logger, context: string): WireError {
  if ((e as { code?: unknown } | null)?.code === 'SQLITE_FULL') {
    log.error(`${context} failed: the disk is full (${(e as Error).message})`);
    e = new DiskFullError('the buffer could not be written');
  }
  if (e instanceof StationError) {
    logRefusal(log, context, e.code, e.httpStatus, e.message);
    return {
      status: e.httpStatus,
      error:
        e.details === undefined
          ? { code: e.code, message: e.message }
          : { code: e.code, message: e.message, details: e.details },
    };
  }
  if (e instanceof z.ZodError) {
    const issues = e.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`);
    logRefusal(log, context, 'validation_error', 422, `Invalid input: ${issues.join('; ')}`);
    return {
      status: 422,
      error: { code: 'validation_error', message: `Invalid input: ${issues.join('; ')}`, details: issues },
    };
  }
  log.error(`${context} failed: ${(e as Error | undefined)?.stack ?? String(e)}`);
  return { status: 500, error: { code: 'internal_error', message: INTERNAL_ERROR_MESSAGE } };
}

const CALLER_MISTAKES = new Set(['validation_error', 'bad_request']);

function logRefusal(log: Logger, context: string, code: string, status: number, message: string): void {
  const line = `Refused ${context}: ${code} (${status}) ${message}`;
  if (CALLER_MISTAKES.has(code)) log.info(line);
  else log.warn(line);
}

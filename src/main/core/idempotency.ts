// The one rule for idempotency keys, for every operation that takes one (sales, cash in/out): 1–128
// printable ASCII characters. Checked in the core, so REST and IPC cannot disagree.
import { BadRequestError } from '../../shared/errors.ts';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

export function checkIdempotencyKey(key: string | undefined, what: 'sale' | 'operation'): string {
  if (key === undefined || !IDEMPOTENCY_KEY.test(key)) {
    throw new BadRequestError(
      what === 'sale'
        ? 'The Idempotency-Key header is required: 1–128 printable ASCII characters, unique per sale (a UUID is ideal). Resend the same key when you retry the same sale.'
        : 'An Idempotency-Key must be 1–128 printable ASCII characters (a UUID is ideal), the same one when you retry the same operation.',
    );
  }
  return key;
}

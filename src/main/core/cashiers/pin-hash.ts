// The one hashing scheme for every PIN (cashiers' and managers'): a salted scrypt hash stored as
// `scrypt$salt$hash` (base64), compared in constant time. scrypt runs on libuv's pool, off the main thread.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (pin: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const KEY_BYTES = 32;

export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${(await scrypt(pin, salt, KEY_BYTES)).toString('base64')}`;
}

export async function pinMatches(pin: string, stored: string): Promise<boolean> {
  const [scheme, salt, expected] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !expected) return false;
  const given = await scrypt(pin, Buffer.from(salt, 'base64'), KEY_BYTES);
  const want = Buffer.from(expected, 'base64');
  return want.length === given.length && timingSafeEqual(given, want);
}

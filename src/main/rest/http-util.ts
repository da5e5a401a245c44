// Small HTTP helpers shared by the station's loopback servers: bounded JSON bodies, JSON answers,
// constant-time bearer-token checks.
//
// A body is refused before anything reads it as data when it is not UTF-8 (a replacement character
// would slip into a printed name) or nested deeper than MAX_JSON_DEPTH (no request of ours needs more
// than a few levels; a 10,000-deep field must not reach recursive code such as a canonical serialiser).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { BadRequestError, StationError } from '../../shared/errors.ts';

const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_JSON_DEPTH = 32;

/** The deepest nesting of arrays/objects in a JSON text (strings skipped), counted without recursion. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new StationError(
        'body_too_large',
        413,
        `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
      );
    chunks.push(chunk as Buffer);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new BadRequestError('The request body is not valid UTF-8. Send JSON encoded as UTF-8.');
  }
  if (!text.trim()) return undefined;
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    throw new BadRequestError(
      `The request body is nested deeper than ${MAX_JSON_DEPTH} levels; no request of this API needs that. Send the documented fields only.`,
    );
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadRequestError(
      `The request body is not valid JSON (${(e as Error).message}). Send Content-Type: application/json with a JSON object.`,
    );
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

/** True when the request carries `Authorization: Bearer <token>` with exactly this token. */
export function hasBearer(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer ([\x21-\x7e]+)$/i.exec(header); // printable ASCII only: nothing to trim, nothing empty
  if (!m || !token) return false;
  return sameSecret(m[1]!, token);
}

/** Constant-time comparison of secrets of possibly different lengths. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

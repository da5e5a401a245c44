// How the browser host answers: every response carries the security headers (the one CSP among them);
// API answers are the contract's Result as JSON, pages for people are a line of Russian in HTML.
import type { ServerResponse } from 'node:http';
import { sendJson } from '../rest/http-util.ts';
import type { Result } from '../../shared/contract.ts';
import type { ErrorCode } from '../../shared/errors.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function failure(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

export function sendResult(
  res: ServerResponse,
  status: number,
  result: Result<unknown>,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, result, { ...SECURITY_HEADERS, ...headers });
}

export function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}

export function sendHtml(res: ServerResponse, status: number, title: string, text: string): void {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  send(
    res,
    status,
    'text/html; charset=utf-8',
    `<!doctype html><html lang="ru"><meta charset="utf-8"><title>${esc(title)}</title><h1>${esc(title)}</h1><p>${esc(text)}</p></html>`,
  );
}

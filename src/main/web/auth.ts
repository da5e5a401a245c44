// Who may drive the till through the browser host: only someone holding the link it printed at start.
//  - GET /?token=… exchanges the link's token for an HttpOnly SameSite=Strict cookie and redirects to /,
//    so the token leaves the address bar at once;
//  - every other request needs that cookie, or `Authorization: Bearer <token>`;
//  - the Host header must name this loopback address and port (DNS rebinding: a foreign name resolving
//    to 127.0.0.1 must not reach us with the victim's browser);
//  - a command that carries an Origin must come from this host's own origin (CSRF; host.ts also insists
//    on a JSON body, which no form and no "simple" cross-site request can send).
// Secrets are compared in constant time, and the token is never logged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { sameSecret } from '../rest/http-util.ts';
import { SECURITY_HEADERS, sendHtml } from './responses.ts';

/** What a person who is not let in is told to do. */
export const OPEN_THE_PRINTED_LINK =
  'Откройте адрес, который кассовая станция напечатала при запуске (строка «Open http://127.0.0.1:…»).';

/** A fresh session token when STATION_WEB_TOKEN does not set one. */
export function newSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The checks for one listening host: made once the port is known (it may be 0 until then). */
export class HostAuth {
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;
  /** Cookies are not scoped by port: two hosts on one machine must not overwrite each other's session. */
  private readonly cookieName: string;

  constructor(
    private readonly token: string,
    port: number,
  ) {
    this.hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    this.origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
    this.cookieName = `station_session_${port}`;
  }

  isOurHost(req: IncomingMessage): boolean {
    return this.hosts.has((req.headers.host ?? '').toLowerCase());
  }

  isOurOrigin(origin: string): boolean {
    return this.origins.has(origin);
  }

  authorized(req: IncomingMessage): boolean {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (bearer) return sameSecret(bearer[1]!.trim(), this.token);
    return sameSecret(cookie(req, this.cookieName) ?? '', this.token);
  }

  /** Answers GET /?token=…: the right token gets the session cookie and a redirect to /, a wrong one a page saying which link to open. */
  exchangeToken(res: ServerResponse, given: string): void {
    if (!sameSecret(given, this.token)) {
      sendHtml(res, 401, 'Ссылка устарела или неверна', OPEN_THE_PRINTED_LINK);
      return;
    }
    res.writeHead(303, {
      ...SECURITY_HEADERS,
      location: '/',
      'cache-control': 'no-store',
      'set-cookie': `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`,
    });
    res.end();
  }
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

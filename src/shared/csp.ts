// The one Content-Security-Policy of the renderer. The browser host sends it with every answer, the
// Electron shell sets it on every response, and the renderer build writes it into index.html's <meta>
// (vite.config.ts), so a page opened by any other means is held to the same rules.
//
// The renderer is built for it: no inline scripts or styles, no eval, no remote origin; images may be
// data: URLs (the receipt's QR code). Browser-safe: no imports.

const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
];

/** For the Content-Security-Policy response header. */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/** For a <meta http-equiv> tag, where browsers ignore frame-ancestors (and warn about it): the header carries that one. */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors ')).join(
  '; ',
);

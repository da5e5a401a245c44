// The OFD's access token: it travels in an HTTP header, so only printable Latin characters without spaces.
// A Cyrillic letter or a pasted line break would make every send fail as if the network were down.
// The one rule for the configuration (core/config.ts) and the manager's settings form.
export function isUsableOfdToken(token: string): boolean {
  return /^[\x21-\x7e]+$/.test(token);
}

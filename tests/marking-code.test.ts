// Marking codes as scanners send them: the forms accepted, the GS1 element string parsed by AI and
// fixed lengths, and every way a code is refused (src/shared/marking-code.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GS,
  MARK_SCAN_PATTERN,
  MarkCodeError,
  gtinValid,
  normaliseMarkCode,
  parseMarkCode,
  productCode1162Hex,
} from '../src/shared/marking-code.ts';
import { SCANNER_LINE_PATTERN } from '../src/shared/scanner-line.ts';

/** The vendor's test code (javapos PrinterTest): a 44-character crypto tail, 85 bytes. */
export const SHOES = `010464007801637221_X.g!8xnpuiFV${GS}91FFD0${GS}92dGVzdIzSWNqFlCZrv+e0GSXQd6Qnar28rNj+8v2D+j0=`;

test('the vendor sample parses by AI: GTIN, serial with "91" inside it, key, crypto tail', () => {
  const mc = parseMarkCode(SHOES);
  assert.equal(mc.code, SHOES);
  assert.equal(mc.gtin, '04640078016372');
  assert.equal(mc.serial, '_X.g!8xnpuiFV');
  assert.equal(mc.key, 'FFD0');
  assert.equal(mc.kind, 'crypto44');
  const inner = parseMarkCode(`0104600439931256219193abcXYZ912${GS}93Ab12`);
  assert.equal(inner.serial, '9193abcXYZ912', 'digits 91/93 inside a serial are not AIs');
  assert.equal(inner.kind, 'check93');
});

test('scanner forms become the one element string the KKT wants', () => {
  const forms = [
    SHOES.replaceAll(GS, '\u241d'),
    SHOES.replaceAll(GS, '{GS}'),
    SHOES.replaceAll(GS, '<GS>'),
    `]d2${SHOES}`,
    `${GS}${SHOES}`, // a leading FNC1 read as GS
    SHOES.replaceAll(GS, ''), // a scanner that drops GS: the 13/4/44 layout is restored
    `(01)04640078016372(21)_X.g!8xnpuiFV(91)FFD0(92)dGVzdIzSWNqFlCZrv+e0GSXQd6Qnar28rNj+8v2D+j0=`,
  ];
  for (const f of forms) assert.equal(normaliseMarkCode(f), SHOES, JSON.stringify(f));
  for (const f of forms) assert.equal(parseMarkCode(f).code, SHOES);
});

test('a weighed good carries its weight (AI 3103), a tobacco pack has no AIs', () => {
  const cheese = parseMarkCode(`0104600439931256215Nf9Mgx${GS}93Ab12${GS}3103000750`);
  assert.equal(cheese.netWeightG, 750);
  const pack = parseMarkCode('04606203086627a>b6Xz-0100Ab+C');
  assert.equal(pack.kind, 'tobacco_pack');
  assert.equal(pack.gtin, '04606203086627');
});

test('what is refused, and the words say why', () => {
  const refused: [string, RegExp][] = [
    ['', /empty/],
    ['hello world', /not an application identifier/],
    [`0104640078016373215abc${GS}93Ab12`, /wrong check digit/],
    [`01046400780163`, /needs 14 characters/],
    [`0104640078016372${GS}93Ab12`, /no AI \(21\)/],
    [`0104640078016372215abc${GS}91FFD0`, /come together/],
    [`0104640078016372215ab c${GS}93Ab12`, /outside the GS1 character set/],
    [`0104640078016372215abc${GS}21def`, /occurs twice/],
    [`215abc${GS}0104640078016372`, /must start with AI \(01\)/],
  ];
  for (const [code, why] of refused)
    assert.throws(
      () => parseMarkCode(code),
      (e: Error) => e instanceof MarkCodeError && why.test(e.message),
      code,
    );
});

test('GTIN check digit and the FFD 1.05 product code 1162', () => {
  assert.equal(gtinValid('04640078016372'), true);
  assert.equal(gtinValid('04640078016371'), false);
  const hex = productCode1162Hex(parseMarkCode(SHOES));
  assert.equal(hex.slice(0, 4), '444D');
  assert.equal(BigInt(`0x${hex.slice(4, 16)}`), 4640078016372n);
  assert.equal(Buffer.from(hex.slice(16), 'hex').toString('latin1'), '_X.g!8xnpuiFV');
});

test('a scanned line of GS bytes alone is noise, not a marking code; one printable character makes it a scan', () => {
  for (const pattern of [MARK_SCAN_PATTERN, SCANNER_LINE_PATTERN]) {
    assert.equal(pattern.test('\x1d'), false);
    assert.equal(pattern.test('\x1d\x1d\x1d'), false);
    assert.equal(pattern.test('0104600439931256215Nd!9m\x1d91EE06'), true);
    assert.equal(pattern.test('\x07' + 'A'), false, 'other control bytes are still noise');
  }
});

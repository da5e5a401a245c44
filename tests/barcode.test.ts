// The barcode rules (src/shared/barcode.ts) and the FFD units (src/shared/units.ts): check digits of
// EAN-13, EAN-8 and UPC-A, scale labels in the default and a configured layout, the prefix lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_WEIGHT,
  gtinCheckDigit,
  gtinCheckDigitOk,
  gtinVariants,
  parsePrefixes,
  parseWeightBarcode,
} from '../src/shared/barcode.ts';
import { parseUnit, unitShort } from '../src/shared/units.ts';

test('check digits: EAN-13, EAN-8, UPC-A right and wrong', () => {
  assert.equal(gtinCheckDigitOk('4601234567893'), true);
  assert.equal(gtinCheckDigitOk('4601234567894'), false);
  assert.equal(gtinCheckDigitOk('21000423'), true); // EAN-8
  assert.equal(gtinCheckDigitOk('21000424'), false);
  assert.equal(gtinCheckDigitOk('036000291452'), true); // UPC-A
  assert.equal(gtinCheckDigitOk('036000291453'), false);
  assert.equal(gtinCheckDigitOk('12345'), false); // not a GTIN length
  assert.deepEqual(gtinVariants('036000291452'), ['036000291452', '0036000291452']);
  assert.deepEqual(gtinVariants('0036000291452'), ['0036000291452', '036000291452']);
});

test('scale labels: prefix 20–29, code, grams, check digit; a configured layout', () => {
  assert.deepEqual(parseWeightBarcode('2200123007544'), { itemCode: '00123', grams: 754 });
  assert.equal(parseWeightBarcode('2200123007545'), null); // wrong check digit
  assert.equal(parseWeightBarcode('4600123007549'), null); // not a weight prefix
  assert.equal(parseWeightBarcode('2200123000002'), null); // zero grams
  // A shop whose scales print 1 prefix digit (2), a 6-digit code and 5 digits of grams.
  const layout = { layout: 'PCCCCCCWWWWWK', prefixes: ['2'] };
  const body = '212345601250';
  assert.deepEqual(parseWeightBarcode(`${body}${gtinCheckDigit(body)}`, layout), {
    itemCode: '123456',
    grams: 1250,
  });
  assert.deepEqual(parsePrefixes('20-29', 2), DEFAULT_WEIGHT.prefixes);
  assert.deepEqual(parsePrefixes('21, 22,27', 2), ['21', '22', '27']);
  assert.equal(parsePrefixes('2-9', 2), null);
  assert.equal(parsePrefixes('29-20', 2), null);
});

test('units: FFD 1.2 tag 2108 codes and names', () => {
  assert.equal(parseUnit('кг'), 11);
  assert.equal(parseUnit('KG'), 11);
  assert.equal(parseUnit('41'), 41);
  assert.equal(parseUnit(255), 255);
  assert.equal(parseUnit(''), 0);
  assert.equal(parseUnit('ящик'), null);
  assert.equal(parseUnit('9'), null);
  assert.equal(unitShort(50), 'кВт·ч');
  assert.equal(parseUnit(unitShort(50)), 50);
});

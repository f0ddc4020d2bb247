import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasResidentIdShape, isBankCardNumber, isHongKongIdNumber, isResidentIdNumber } from './checksums.ts';

test('resident ID numbers: check character, province and birth date', () => {
  for (const valid of ['11010519491231002X', '11010519491231002x', '440304198506152010', '130102199003071233']) {
    assert.ok(isResidentIdNumber(valid), valid);
  }
  assert.ok(!isResidentIdNumber('370202199001011234'), 'wrong check digit (…7 is right)');
  assert.ok(isResidentIdNumber('370202199001011237'));
  assert.ok(!isResidentIdNumber('990202199001011237'), 'no province 99');
  assert.ok(!isResidentIdNumber('110105194902300021'), 'no 30 February');
  assert.ok(!isResidentIdNumber('110105189912310021'), 'born before 1900');
  assert.ok(!isResidentIdNumber('12345678901234567'), '17 digits');
  assert.ok(isResidentIdNumber('110105491231002'), 'old 15-digit format');
  assert.ok(!isResidentIdNumber('110105491331002'), 'old format, month 13');
  assert.ok(hasResidentIdShape('370202199001011234') && !hasResidentIdShape('370202199013011234'));
});

test('bank cards: Luhn and an issuer digit of 3–6', () => {
  for (const valid of ['6222021234567890128', '6228480012345671', '4111111111111111', '5500000000000004']) {
    assert.ok(isBankCardNumber(valid), valid);
  }
  assert.ok(!isBankCardNumber('6222021234567890127'), 'bad check digit');
  assert.ok(!isBankCardNumber('1111111111111117'), 'issuer digit 1');
  assert.ok(!isBankCardNumber('411111111111111'), '15 digits');
});

test('Hong Kong identity cards: one or two letters and the bracketed check', () => {
  assert.ok(isHongKongIdNumber('A123456', '3'));
  assert.ok(!isHongKongIdNumber('A123456', '4'));
  assert.ok(isHongKongIdNumber('G123456', 'A'));
  assert.ok(!isHongKongIdNumber('A12345', '3'));
});

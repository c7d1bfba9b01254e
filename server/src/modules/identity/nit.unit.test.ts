import { describe, expect, it } from 'vitest';
import { isValidNit, nitCheckDigit, normalizeNit } from './nit.js';

describe('NIT (El Salvador tax number)', () => {
  it('computes the check digit of current NIT (correlative above 100)', () => {
    expect(nitCheckDigit('0614050707104')).toBe(8);
    // Σ = 138, −138 mod 11 = 5
    expect(nitCheckDigit('0614010190101')).toBe(5);
  });

  it('computes the check digit of older NIT (correlative up to 100)', () => {
    // Σ dᵢ·(14 − i) for 0614 010190 001 = 0+78+12+44+0+9+0+7+54+0+0+0+2 = 206; 206 mod 11 = 8
    expect(nitCheckDigit('0614010190001')).toBe(8);
    expect(() => nitCheckDigit('061401019000')).toThrow();
  });

  it.each([
    ['0614-050707-104-8', '0614-050707-104-8'],
    ['06140507071048', '0614-050707-104-8'],
    [' 0614-010190-101-5 ', '0614-010190-101-5'],
    ['0614-010190-001-8', '0614-010190-001-8'],
  ])('accepts %s as %s', (input, canonical) => {
    expect(normalizeNit(input)).toBe(canonical);
    expect(isValidNit(input)).toBe(true);
  });

  it.each([
    ['wrong check digit', '0614-050707-104-0'],
    ['the brief example with a wrong check digit', '0614-010190-101-3'],
    ['too short', '0614-050707-104'],
    ['letters', '0614-05O707-104-8'],
    ['a DUI', '04567891-1'],
    ['first digit not 0, 1 or 9', '5614-050707-104-8'],
    ['empty', ''],
  ])('refuses %s', (_name, input) => {
    expect(normalizeNit(input)).toBeNull();
    expect(isValidNit(input)).toBe(false);
  });
});

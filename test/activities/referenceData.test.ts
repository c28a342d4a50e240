/** Sector look-ups: risk_parameters.yaml's overrides win over the bundled 2023 reference file. */
import { describe, expect, it } from 'vitest';
import {
  knownSectorOf,
  sectorOf,
  type ReferenceData,
  type SymbolReference,
} from '../../src/activities/referenceData';

const row = (sector: string): SymbolReference => ({
  name: 'x',
  exchange: 'NASDAQ',
  sector,
  industry: 'y',
  avgVolume: undefined,
});
const ref: ReferenceData = new Map([
  ['AAA', row('Technology')],
  ['BBB', row('Healthcare')],
]);

describe('sectorOf', () => {
  it('reads the file without overrides', () => {
    expect(sectorOf(ref, {}, 'AAA')).toBe('Technology');
    expect(sectorOf(ref, {}, 'ZZZ')).toBe('Unknown');
    expect(knownSectorOf(ref, {}, 'ZZZ')).toBeUndefined();
  });

  it('takes an override over the file, and for a symbol the file does not know', () => {
    const overrides = { AAA: 'Financial', ZZZ: 'Energy' };
    expect(sectorOf(ref, overrides, 'AAA')).toBe('Financial');
    expect(sectorOf(ref, overrides, 'ZZZ')).toBe('Energy');
    expect(knownSectorOf(ref, overrides, 'ZZZ')).toBe('Energy');
    expect(sectorOf(ref, overrides, 'BBB')).toBe('Healthcare');
  });

  it('never reads an inherited property as a sector', () => {
    expect(sectorOf(ref, {}, 'constructor')).toBe('Unknown');
    expect(sectorOf(ref, {}, 'toString')).toBe('Unknown');
  });
});

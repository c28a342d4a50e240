import { describe, expect, it } from 'vitest';
import { quoteValue } from '../../src/domain/quoteValue';

describe('quoteValue', () => {
  it('quotes short values whole, as JSON', () => {
    expect(quoteValue('yolo')).toBe('"yolo"');
    expect(quoteValue(42)).toBe('42');
    expect(quoteValue(null)).toBe('null');
    expect(quoteValue(undefined)).toBe('undefined');
    expect(quoteValue({ mode: 'x' })).toBe('{"mode":"x"}');
  });

  it('cuts long values to their start and their size, on one line', () => {
    const long = 'x'.repeat(5000);
    expect(quoteValue(long)).toBe(`"${'x'.repeat(39)}… (5000 characters)`);
    const lines = quoteValue('a\n'.repeat(100));
    expect(lines).not.toContain('\n');
    expect(lines).toMatch(/… \(200 characters\)$/);
    expect(quoteValue(Array.from({ length: 100 }, (_, i) => i))).toMatch(/^\[0,1,2,.*… \(\d+ characters\)$/);
  });
});

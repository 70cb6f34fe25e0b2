import fc from 'fast-check';
import { HttpProblem } from '../errors/problem';
import { decodeCursor, encodeCursor } from './cursor';

describe('pagination cursors', () => {
  test('round-trip any bookmark', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }), (bookmark) => {
        const cursor = encodeCursor(bookmark);
        expect(cursor).toMatch(/^c1\.[A-Za-z0-9_-]+$/);
        expect(decodeCursor(cursor)).toBe(bookmark);
      }),
    );
  });

  test('an empty bookmark means no next page', () => {
    expect(encodeCursor('')).toBeUndefined();
    expect(encodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  test('does not expose the bookmark in clear', () => {
    expect(encodeCursor('\u0000record\u0000pt-1\u0000')).not.toContain('record');
  });

  test.each(['garbage', 'c1.', 'c1.!!!', 'c2.YWJj', 'c1.YWJj=', `c1.${'A'.repeat(2000)}`])('rejects %s with 400 INVALID_CURSOR', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(HttpProblem);
    try {
      decodeCursor(cursor);
    } catch (err) {
      expect((err as HttpProblem).problem).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    }
  });
});

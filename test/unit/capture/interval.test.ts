import { describe, expect, it } from 'vitest';
import { formatInterval, parseInterval } from '../../../main/core/capture';
import { DumpscopeError } from '../../../main/core/errors';

describe('parseInterval', () => {
  it('accepts seconds, milliseconds, minutes and bare seconds', () => {
    expect(parseInterval('5s')).toBe(5000);
    expect(parseInterval('500ms')).toBe(500);
    expect(parseInterval('2m')).toBe(120_000);
    expect(parseInterval('5')).toBe(5000);
    expect(parseInterval('1.5s')).toBe(1500);
    expect(parseInterval(' 3 S ')).toBe(3000);
    expect(parseInterval('0')).toBe(0);
  });

  it('refuses anything else with BadRequest naming the value and the accepted forms', () => {
    for (const bad of ['', 'soon', '5x', '-1s', '1h', '5 s s', '61m']) {
      let err: unknown;
      try {
        parseInterval(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(DumpscopeError);
      expect((err as DumpscopeError).code).toBe('BadRequest');
      expect((err as DumpscopeError).message).toContain(JSON.stringify(bad));
      expect((err as DumpscopeError).message).toMatch(/5s, 500ms, 2m/);
    }
  });

  it('formats intervals for messages', () => {
    expect(formatInterval(5000)).toBe('5 s');
    expect(formatInterval(500)).toBe('500 ms');
    expect(formatInterval(120_000)).toBe('2 min');
    expect(formatInterval(1500)).toBe('1.5 s');
  });
});

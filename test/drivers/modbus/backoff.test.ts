import { describe, expect, it } from 'vitest';
import { Backoff, DEFAULT_BACKOFF } from '../../../drivers/modbus/backoff';

describe('Backoff', () => {
  it('doubles from 250 ms up to 30 s and starts over after reset', () => {
    const backoff = new Backoff(DEFAULT_BACKOFF);
    const delaysMs = Array.from({ length: 10 }, () => backoff.next());
    expect(delaysMs).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(backoff.failures).toBe(10);
    backoff.reset();
    expect(backoff.failures).toBe(0);
    expect(backoff.next()).toBe(250);
  });
});

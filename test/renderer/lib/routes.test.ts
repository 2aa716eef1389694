import { describe, expect, it } from 'vitest';
import { ROUTES, hrefFor, parseHash } from '../../../renderer/lib/routes';
import { alignedTicks } from '../../../renderer/lib/time-ticks';

describe('parseHash', () => {
  it('maps an empty hash to the overview', () => {
    expect(parseHash('')).toBe('overview');
    expect(parseHash('#')).toBe('overview');
    expect(parseHash('#/')).toBe('overview');
  });

  it('reads every route back from its own link', () => {
    for (const route of ROUTES) expect(parseHash(hrefFor(route))).toBe(route);
  });

  it('tolerates a trailing slash and case, and rejects unknown pages', () => {
    expect(parseHash('#/Devices/')).toBe('devices');
    expect(parseHash('#/nowhere')).toBeNull();
  });
});

describe('alignedTicks', () => {
  it('puts ticks on whole steps inside the range', () => {
    expect(alignedTicks(1_000, 35_000, 10_000)).toEqual([10_000, 20_000, 30_000]);
    expect(alignedTicks(10_000, 20_000, 10_000)).toEqual([10_000, 20_000]);
    expect(alignedTicks(5, 1, 10)).toEqual([]);
    expect(alignedTicks(0, 10, 0)).toEqual([]);
  });
});

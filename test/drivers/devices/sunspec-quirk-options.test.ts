// Vendor quirks reach the SunSpec poller: registers a vendor's entry names as unreadable
// are never read, from the first cycle on. The shipped table has no sourced entry with
// unreadable ranges yet, so the test brings its own table in the same format.
import { describe, expect, it } from 'vitest';
import { sunspecQuirkOptions } from '../../../drivers/devices/sunspec-quirk-options';
import { parseQuirkTable } from '../../../drivers/sunspec/quirks';
import { pollerFor, pvImage, simUnit } from './support/sunspec-sim';

function tableFor(manufacturer: string) {
  const parsed = parseQuirkTable({
    schemaVersion: 1,
    entries: [
      {
        id: 'test-vendor',
        description: 'a vendor whose model 123 refuses OutPFSet … VArPct_Ena',
        match: { manufacturer: { prefix: manufacturer } },
        quirks: { unreadableRanges: [{ modelId: 123, offset: 8, count: 13 }] },
        source: [
          {
            for: ['unreadableRanges'],
            title: 'test fixture',
            url: 'https://example.invalid/',
            says: 'made up for this test',
          },
        ],
      },
    ],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

describe('sunspecQuirkOptions', () => {
  const inside123 = Array.from({ length: 13 }, (_, i) => 40152 + 8 + i);
  const discovery = { blockRegs: 2 }; // discovery reads headers only, so only cycles touch 123

  it('plans around a matching vendor’s unreadable registers', async () => {
    const unit = simUnit(pvImage(), inside123);
    const manufacturer = String(unit.image.getPoint(1, 'Mn'));
    const { poller } = await pollerFor(unit, 'pv-inverter', {
      ...sunspecQuirkOptions(tableFor(manufacturer)),
      discovery,
    });
    for (let i = 0; i < 3; i++) expect((await poller.poll())?.values.powerLimitPct).toBe(100);
    expect(unit.log.some((r) => r.refused)).toBe(false);
  });

  it('leaves other vendors alone (they learn refusals from exception replies)', async () => {
    const unit = simUnit(pvImage(), inside123);
    const { poller } = await pollerFor(unit, 'pv-inverter', {
      ...sunspecQuirkOptions(tableFor('Somebody Else')),
      discovery,
    });
    await poller.poll();
    expect(unit.log.some((r) => r.refused)).toBe(true);
  });
});

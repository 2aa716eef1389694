import type { Site } from '../../../core/site/site-types';

/** A small valid site; tests copy and break it. */
export function smallSite(): Site {
  return {
    schemaVersion: 1,
    id: 'test-site',
    name: 'Test Site',
    timezone: 'Europe/Berlin',
    location: { latitudeDeg: 52.5, longitudeDeg: 13.4 },
    tariffs: {
      currency: 'EUR',
      minorUnitDigits: 2,
      feedInMinorPerKWh: 8.2,
      retailMinorPerKWh: 32,
      gridFeeMinorPerKWh: 2,
    },
    market: { intervalMinutes: 15 },
    grid: { importLimitW: 60_000, exportLimitW: 30_000 },
    feeders: [
      { id: 'main', name: 'Main', parentId: null, linkCapacityWh: null },
      { id: 'north', name: 'North', parentId: 'main', linkCapacityWh: 5000 },
    ],
    members: [
      {
        id: 'h1',
        name: 'House 1',
        kind: 'household',
        feederId: 'north',
        critical: false,
        prepaid: true,
      },
      {
        id: 'coop',
        name: 'Co-op',
        kind: 'community',
        feederId: 'main',
        critical: false,
        prepaid: false,
      },
    ],
    devices: [
      {
        id: 'grid-meter',
        name: 'Grid',
        url: 'modbus-tcp://127.0.0.1:1502?unit=1',
        role: 'grid-meter',
        memberId: null,
        pollIntervalMs: 1000,
        enabled: true,
      },
      {
        id: 'h1-meter',
        name: 'House 1 meter',
        url: 'modbus-rtu:///dev/ttyUSB0?baud=9600&parity=even&unit=2',
        role: 'household-meter',
        memberId: 'h1',
        pollIntervalMs: 1000,
        enabled: true,
      },
    ],
  };
}

// Market-following: the cleared position spread evenly over its interval.
import { describe, expect, it } from 'vitest';
import {
  marketFollowing,
  positionFromTrades,
} from '../../../../core/control/strategies/market-following';
import { batteryAt, config, device, gridAt, makeSite, T0, view } from '../support';

const site = makeSite([
  device('grid', 'grid-meter'),
  device('b1', 'battery'),
  device('b2', 'battery'),
]);
const FIFTEEN_MIN = 15 * 60_000;

describe('market-following', () => {
  const snap = view(site, T0 + 60_000, {
    grid: gridAt(0),
    b1: batteryAt(0, 50, 5000),
    b2: batteryAt(0, 50, 5000),
  });
  const interval = { startMs: T0, endMs: T0 + FIFTEEN_MIN };

  it('delivers 1250 Wh sold in 15 min as 5000 W, 2500 W from each equal battery', () => {
    const inputs = { localMinuteOfDay: 720, marketPosition: { ...interval, netWh: 1250 } };
    expect(marketFollowing(snap, config(), new Map(), inputs)).toEqual([
      { kind: 'battery', deviceId: 'b1', powerW: 2500 },
      { kind: 'battery', deviceId: 'b2', powerW: 2500 },
    ]);
  });

  it('charges 2000 W for 500 Wh bought in 15 min', () => {
    const inputs = { localMinuteOfDay: 720, marketPosition: { ...interval, netWh: -500 } };
    expect(marketFollowing(snap, config(), new Map(), inputs)).toEqual([
      { kind: 'battery', deviceId: 'b1', powerW: -1000 },
      { kind: 'battery', deviceId: 'b2', powerW: -1000 },
    ]);
  });

  it('asks nothing outside the position interval', () => {
    const later = { startMs: T0 + FIFTEEN_MIN, endMs: T0 + 2 * FIFTEEN_MIN, netWh: 1250 };
    expect(
      marketFollowing(snap, config(), new Map(), { localMinuteOfDay: 0, marketPosition: later }),
    ).toEqual([]);
  });

  it('derives the position from trades: sold 800 + 400, bought 300 → 900 Wh', () => {
    const trades = [
      { sellerId: 'battery', buyerId: 'alice', energyWh: 800 },
      { sellerId: 'battery', buyerId: 'bob', energyWh: 400 },
      { sellerId: 'carol', buyerId: 'battery', energyWh: 300 },
      { sellerId: 'carol', buyerId: 'bob', energyWh: 999 },
    ];
    expect(positionFromTrades(trades, 'battery', interval)).toEqual({ ...interval, netWh: 900 });
  });
});

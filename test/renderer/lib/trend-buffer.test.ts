import { describe, expect, it } from 'vitest';
import { TREND_POINT_IDS, TrendBuffer } from '../../../renderer/lib/trend-buffer';

const values = (pvW: number | null) => ({ pvW, loadW: 1, batteryW: 2, gridW: 3 });
const sample = (tsMs: number, value: number) => ({ tsMs, value, min: value, max: value });

describe('TrendBuffer', () => {
  it('averages live samples into buckets', () => {
    const buffer = new TrendBuffer(60_000, 10_000);
    buffer.push(100_000, values(10));
    buffer.push(101_000, values(20));
    buffer.push(110_000, values(30));
    expect(buffer.series.pvW).toEqual([
      { x: 100_000, y: 15 },
      { x: 110_000, y: 30 },
    ]);
  });

  it('keeps a gap for buckets without data, and fills it once data arrives', () => {
    const buffer = new TrendBuffer(60_000, 10_000);
    buffer.push(100_000, values(null));
    expect(buffer.series.pvW).toEqual([{ x: 100_000, y: null }]);
    buffer.push(105_000, values(8));
    expect(buffer.series.pvW).toEqual([{ x: 100_000, y: 8 }]);
  });

  it('drops points that leave the window', () => {
    const buffer = new TrendBuffer(30_000, 10_000);
    for (let t = 0; t <= 60_000; t += 10_000) buffer.push(t, values(t));
    expect(buffer.series.pvW.map((p) => p.x)).toEqual([30_000, 40_000, 50_000, 60_000]);
  });

  it('seeds history older than the first live point only', () => {
    const buffer = new TrendBuffer(3_600_000, 10_000);
    buffer.push(100_000, values(5));
    buffer.seed('pvW', [
      sample(80_000, 1),
      sample(90_000, 2),
      sample(100_000, 99),
      sample(110_000, 99),
    ]);
    expect(buffer.series.pvW).toEqual([
      { x: 80_000, y: 1 },
      { x: 90_000, y: 2 },
      { x: 100_000, y: 5 },
    ]);
  });

  it('ignores snapshots older than the open bucket', () => {
    const buffer = new TrendBuffer(60_000, 10_000);
    buffer.push(120_000, values(1));
    buffer.push(100_000, values(50));
    expect(buffer.series.pvW).toEqual([{ x: 120_000, y: 1 }]);
  });

  it('clears everything', () => {
    const buffer = new TrendBuffer();
    buffer.push(1, values(1));
    buffer.clear();
    expect(buffer.series.pvW).toEqual([]);
  });

  it('reads history from the site pseudo device', () => {
    expect(TREND_POINT_IDS.gridW).toBe('site.gridW');
  });
});

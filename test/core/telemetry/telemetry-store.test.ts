import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../../core/storage/migrations';
import { openSqlite } from '../../../core/storage/sqlite-adapter';
import { planHistory } from '../../../core/telemetry/retention';
import { TelemetryStore, telemetryMigrations } from '../../../core/telemetry/telemetry-store';
import { useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs('mg-telemetry-');
const HOUR = 3600_000;
const T0 = Date.UTC(2026, 5, 1, 0, 0, 0);

function openStore(policy = { rawRetentionMs: 24 * HOUR, minuteRetentionMs: 365 * 24 * HOUR }) {
  const db = openSqlite(join(tempDir(), 'telemetry.db'), { synchronous: 'normal' });
  applyMigrations(db, telemetryMigrations);
  return { db, store: new TelemetryStore(db, policy) };
}

describe('TelemetryStore', () => {
  it('returns raw samples, bucketed to the requested number of points', () => {
    const { db, store } = openStore();
    for (let s = 0; s < 120; s++)
      store.append(T0 + s * 1000, [{ key: 'site.pvW', unit: 'W', value: s }]);
    const all = store.history({ point: 'site.pvW', fromMs: T0, toMs: T0 + 119_000 }, T0 + 120_000);
    expect(all.resolution).toBe('raw');
    expect(all.unit).toBe('W');
    expect(all.samples).toHaveLength(120);
    const coarse = store.history(
      { point: 'site.pvW', fromMs: T0, toMs: T0 + 119_000, maxPoints: 12 },
      T0 + 120_000,
    );
    expect(coarse.bucketMs).toBe(10_000);
    expect(coarse.samples).toHaveLength(12);
    expect(coarse.samples[0]).toEqual({ tsMs: T0, value: 4.5, min: 0, max: 9 });
    db.close();
  });

  it('rolls complete minutes into mean/min/max and keeps them after raw data is pruned', () => {
    const { db, store } = openStore({ rawRetentionMs: HOUR, minuteRetentionMs: 48 * HOUR });
    for (let s = 0; s < 180; s++)
      store.append(T0 + s * 1000, [{ key: 'grid.powerW', unit: 'W', value: s % 60 }]);
    store.maintain(T0 + 150_000); // minutes 0 and 1 are complete, minute 2 is not
    let minutes = store.history(
      { point: 'grid.powerW', fromMs: T0, toMs: T0 + 180_000, resolution: '1m' },
      T0 + 150_000,
    );
    expect(minutes.samples).toEqual([
      { tsMs: T0, value: 29.5, min: 0, max: 59 },
      { tsMs: T0 + 60_000, value: 29.5, min: 0, max: 59 },
    ]);
    store.maintain(T0 + 2 * HOUR); // rolls minute 2, then prunes all raw rows (older than 1 h)
    minutes = store.history(
      { point: 'grid.powerW', fromMs: T0, toMs: T0 + 180_000, resolution: '1m' },
      T0 + 2 * HOUR,
    );
    expect(minutes.samples).toHaveLength(3);
    const raw = store.history(
      { point: 'grid.powerW', fromMs: T0, toMs: T0 + 180_000, resolution: 'raw' },
      T0 + 2 * HOUR,
    );
    expect(raw.samples).toHaveLength(0);
    store.maintain(T0 + 49 * HOUR);
    expect(
      store.history({ point: 'grid.powerW', fromMs: T0, toMs: T0 + HOUR, resolution: '1m' }, T0)
        .samples,
    ).toHaveLength(0);
    db.close();
  });

  it('drops non-finite values and answers unknown points with an empty series', () => {
    const { db, store } = openStore();
    store.append(T0, [
      { key: 'a.powerW', unit: 'W', value: Number.NaN },
      { key: 'a.powerW', unit: 'W', value: Infinity },
    ]);
    expect(
      store.history({ point: 'a.powerW', fromMs: T0 - 1000, toMs: T0 + 1000 }, T0).samples,
    ).toEqual([]);
    expect(store.history({ point: 'nope', fromMs: T0, toMs: T0 + 1 }, T0).samples).toEqual([]);
    db.close();
  });

  it('keeps point ids across reopening', () => {
    const dir = tempDir();
    let db = openSqlite(join(dir, 't.db'), { synchronous: 'normal' });
    applyMigrations(db, telemetryMigrations);
    new TelemetryStore(db).append(T0, [{ key: 'x.socPct', unit: '%', value: 55 }]);
    db.close();
    db = openSqlite(join(dir, 't.db'), { synchronous: 'normal' });
    applyMigrations(db, telemetryMigrations);
    const store = new TelemetryStore(db);
    store.append(T0 + 1000, [{ key: 'x.socPct', unit: '%', value: 56 }]);
    expect(
      store
        .history({ point: 'x.socPct', fromMs: T0, toMs: T0 + 1000 }, T0 + 1000)
        .samples.map((s) => s.value),
    ).toEqual([55, 56]);
    db.close();
  });
});

describe('planHistory', () => {
  const policy = { rawRetentionMs: 24 * HOUR, minuteRetentionMs: 365 * 24 * HOUR };
  it('uses raw data for a recent hour and minute aggregates for a week', () => {
    expect(
      planHistory({ point: 'p', fromMs: T0 - HOUR, toMs: T0, maxPoints: 360 }, T0, policy),
    ).toEqual({ resolution: 'raw', bucketMs: 10_000 });
    expect(planHistory({ point: 'p', fromMs: T0 - 7 * 24 * HOUR, toMs: T0 }, T0, policy)).toEqual({
      resolution: '1m',
      bucketMs: 660_000,
    });
    expect(
      planHistory({ point: 'p', fromMs: T0 - 30 * HOUR, toMs: T0 - 29 * HOUR }, T0, policy)
        .resolution,
    ).toBe('1m');
  });
});

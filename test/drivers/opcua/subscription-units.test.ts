// The pure parts of the subscription manager: batch planning, subscription timing, health
// rules and value conversion.
import {
  DataType,
  DataValue,
  StatusCodes,
  Variant,
  VariantArrayType,
  type StatusCode,
} from 'node-opcua';
import { describe, expect, it } from 'vitest';
import {
  monitorKey,
  planBatches,
  type MonitorRequest,
} from '../../../drivers/opcua/monitor-batches';
import { numericValue, toMonitoredValue } from '../../../drivers/opcua/monitor-values';
import { ServerHealthTracker } from '../../../drivers/opcua/subscription-health';
import { subscriptionTiming } from '../../../drivers/opcua/subscription-timing';

const request = (i: number, samplingIntervalMs = 100, deadband: number | null = null) => ({
  nodeId: `ns=1;s=V${i}`,
  samplingIntervalMs,
  deadband,
});

describe('planBatches', () => {
  const self = (r: MonitorRequest): MonitorRequest => r;
  it('splits by parameter set, then into batches of at most the size', () => {
    const items = [
      ...Array.from({ length: 5 }, (_, i) => request(i)),
      request(5, 100, 1),
      request(6, 500),
      request(7, 100, 1),
    ];
    const batches = planBatches(items, 2, self);
    expect(batches.map((b) => b.map((r) => r.nodeId.slice(7)))).toEqual([
      ['V0', 'V1'],
      ['V2', 'V3'],
      ['V4'],
      ['V5', 'V7'],
      ['V6'],
    ]);
    expect(planBatches(items, 0, self).every((b) => b.length === 1)).toBe(true);
    expect(planBatches([], 500, self)).toEqual([]);
  });

  it('keys items by node, sampling and deadband', () => {
    expect(monitorKey(request(1))).toBe(monitorKey(request(1)));
    expect(monitorKey(request(1))).not.toBe(monitorKey(request(1, 200)));
    expect(monitorKey(request(1))).not.toBe(monitorKey(request(1, 100, 0.5)));
  });
});

describe('subscriptionTiming', () => {
  it('publishes for the most demanding device and keeps alive within its silence limit', () => {
    expect(
      subscriptionTiming([
        { publishingIntervalMs: 1000, keepAliveMs: 1000 },
        { publishingIntervalMs: 100, keepAliveMs: 3000 },
      ]),
    ).toEqual({ publishingIntervalMs: 100, maxKeepAliveCount: 10, lifetimeCount: 300 });
    expect(subscriptionTiming([{ publishingIntervalMs: 5000, keepAliveMs: 1000 }])).toEqual({
      publishingIntervalMs: 5000,
      maxKeepAliveCount: 1,
      lifetimeCount: 6,
    });
    expect(subscriptionTiming([]).publishingIntervalMs).toBe(1000);
  });
});

describe('ServerHealthTracker', () => {
  it('goes connecting → ok → offline → degraded → ok like a Modbus unit', () => {
    let now = 1000;
    const h = new ServerHealthTracker(() => now);
    expect(h.snapshot()).toMatchObject({ state: 'connecting', errorCount: 0, lastGoodMs: null });
    h.sessionOpened();
    expect(h.snapshot().state).toBe('connecting');
    h.subscriptionReady();
    h.keepAliveAnswered(4.2);
    expect(h.snapshot()).toMatchObject({ state: 'ok', latencyMs: 4.2, lastGoodMs: 1000 });
    now = 2000;
    h.published();
    expect(h.snapshot()).toMatchObject({ lastPublishMs: 2000, lastGoodMs: 2000 });
    h.lost('the connection was lost');
    expect(h.snapshot()).toMatchObject({
      state: 'offline',
      connected: false,
      errorCount: 1,
      lastPublishMs: null,
      lastError: 'the connection was lost',
    });
    h.sessionOpened();
    expect(h.snapshot().state).toBe('degraded'); // a session, no subscription yet
    h.subscriptionReady();
    expect(h.snapshot()).toMatchObject({ state: 'ok', reconnects: 1 });
    h.failed('keep-alive read: timeout');
    expect(h.snapshot()).toMatchObject({ state: 'degraded', errorCount: 2 });
    h.keepAliveAnswered(3);
    expect(h.snapshot().state).toBe('ok');
    h.closed();
    expect(h.snapshot()).toMatchObject({ state: 'offline', errorCount: 2 });
  });
});

describe('numericValue', () => {
  const dv = (
    dataType: DataType,
    value: unknown,
    statusCode: StatusCode = StatusCodes.Good,
    arrayType = VariantArrayType.Scalar,
  ) => new DataValue({ value: new Variant({ dataType, arrayType, value }), statusCode });

  it('takes numbers, booleans and 64-bit integers; null for anything else or not Good', () => {
    expect(numericValue(dv(DataType.Double, 1.5))).toBe(1.5);
    expect(numericValue(dv(DataType.Float, 2))).toBe(2);
    expect(numericValue(dv(DataType.UInt16, 7))).toBe(7);
    expect(numericValue(dv(DataType.Boolean, true))).toBe(1);
    expect(numericValue(dv(DataType.Boolean, false))).toBe(0);
    expect(numericValue(dv(DataType.Int64, [0xffffffff, 0xfffffffe]))).toBe(-2);
    expect(numericValue(dv(DataType.UInt64, [1, 2]))).toBe(2 ** 32 + 2);
    expect(numericValue(dv(DataType.String, '5'))).toBeNull();
    expect(numericValue(dv(DataType.Double, NaN))).toBeNull();
    expect(
      numericValue(dv(DataType.Double, [1, 2], StatusCodes.Good, VariantArrayType.Array)),
    ).toBeNull();
    expect(numericValue(dv(DataType.Double, 5, StatusCodes.BadOutOfService))).toBeNull();
    expect(numericValue(dv(DataType.Double, 5, StatusCodes.UncertainLastUsableValue))).toBeNull();
    expect(numericValue(dv(DataType.Double, 5, StatusCodes.GoodClamped))).toBe(5);
    expect(numericValue(new DataValue({ statusCode: StatusCodes.Good }))).toBeNull();
  });

  it('keeps status and timestamps', () => {
    const sourceTimestamp = new Date(Date.UTC(2026, 0, 1));
    const value = toMonitoredValue(
      new DataValue({
        value: new Variant({ dataType: DataType.Double, value: 3 }),
        statusCode: StatusCodes.BadSensorFailure,
        sourceTimestamp,
      }),
      42,
    );
    expect(value).toEqual({
      value: null,
      status: 'BadSensorFailure',
      sourceTimestampMs: sourceTimestamp.getTime(),
      serverTimestampMs: null,
      receivedMs: 42,
    });
  });
});

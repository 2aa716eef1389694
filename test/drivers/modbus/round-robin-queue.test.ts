import { describe, expect, it } from 'vitest';
import { RoundRobinQueue } from '../../../drivers/modbus/round-robin-queue';

describe('RoundRobinQueue', () => {
  it('serves units in turn and each unit in order', () => {
    const queue = new RoundRobinQueue<string>();
    ['a1', 'a2', 'a3'].forEach((item) => queue.push(1, item));
    ['b1', 'b2'].forEach((item) => queue.push(2, item));
    queue.push(3, 'c1');
    expect(queue.size).toBe(6);
    expect(queue.drain()).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it('puts a unit that arrives while another is being served ahead of the served one', () => {
    const queue = new RoundRobinQueue<string>();
    ['dead1', 'dead2', 'dead3'].forEach((item) => queue.push(2, item));
    expect(queue.shift()).toBe('dead1'); // on the wire
    queue.push(1, 'healthy1');
    expect(queue.shift()).toBe('healthy1');
    queue.push(1, 'healthy2'); // the poller asks again while its unit is being served
    expect(queue.shift()).toBe('dead2');
    expect(queue.shift()).toBe('healthy2');
    expect(queue.shift()).toBe('dead3');
    expect(queue.size).toBe(0);
  });
});

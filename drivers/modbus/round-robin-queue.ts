// The link's waiting line. One FIFO per unit id, served in turn, so a unit whose requests
// all time out costs each other unit at most one timeout per turn, however many requests
// its pollers have piled up.
export class RoundRobinQueue<T> {
  // Map keeps insertion order: the first key is the unit whose turn it is.
  private readonly byUnit = new Map<number, T[]>();
  // The unit served last goes to the back only at the next shift, so that a unit arriving
  // while its request is on the wire queues ahead of it, not behind it.
  private justServed: { unitId: number; line: T[] } | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(unitId: number, item: T): void {
    if (this.justServed?.unitId === unitId) this.justServed.line.push(item);
    else {
      const line = this.byUnit.get(unitId);
      if (line) line.push(item);
      else this.byUnit.set(unitId, [item]);
    }
    this.count++;
  }

  /** Takes the oldest item of the unit whose turn it is. */
  shift(): T | undefined {
    if (this.justServed) {
      if (this.justServed.line.length > 0)
        this.byUnit.set(this.justServed.unitId, this.justServed.line);
      this.justServed = null;
    }
    const first = this.byUnit.entries().next();
    if (first.done) return undefined;
    const [unitId, line] = first.value;
    this.byUnit.delete(unitId);
    this.justServed = { unitId, line };
    this.count--;
    return line.shift();
  }

  /** Removes and returns everything, oldest turn first. */
  drain(): T[] {
    const items: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) items.push(item);
    return items;
  }
}

// Trades as parallel typed arrays while matching: no object per pairing in the hot loop.

export const PASS_PREFERRED = 0;
export const PASS_ENERGY_TYPE = 1;
export const PASS_OPEN = 2;
export const PASS_NAMES = ['preferred-partners', 'energy-type', 'open'] as const;
export type PassName = (typeof PASS_NAMES)[number];

export class TradeLog {
  count = 0;
  buy: Int32Array;
  sell: Int32Array;
  energyWh: Float64Array;
  pass: Uint8Array;

  constructor(capacity: number) {
    const size = Math.max(16, capacity);
    this.buy = new Int32Array(size);
    this.sell = new Int32Array(size);
    this.energyWh = new Float64Array(size);
    this.pass = new Uint8Array(size);
  }

  push(buy: number, sell: number, energyWh: number, pass: number): void {
    if (this.count === this.buy.length) this.grow();
    const i = this.count++;
    this.buy[i] = buy;
    this.sell[i] = sell;
    this.energyWh[i] = energyWh;
    this.pass[i] = pass;
  }

  private grow(): void {
    const size = this.buy.length * 2;
    const buy = new Int32Array(size);
    buy.set(this.buy);
    const sell = new Int32Array(size);
    sell.set(this.sell);
    const energyWh = new Float64Array(size);
    energyWh.set(this.energyWh);
    const pass = new Uint8Array(size);
    pass.set(this.pass);
    Object.assign(this, { buy, sell, energyWh, pass });
  }
}

// The Control page's words and numbers: strategy labels (complete for every strategy the
// station knows, checked by the compiler), a setpoint as text, and the reasons a request
// was changed by the safety envelope.
import type { MessageKey } from '../i18n/dictionaries';
import type { Setpoint, StrategyName } from '../api/contract';

export const STRATEGY_LABELS = {
  'market-following': 'control.strategy.market-following',
  'tou-charging': 'control.strategy.tou-charging',
  'self-consumption': 'control.strategy.self-consumption',
  'peak-shaving': 'control.strategy.peak-shaving',
  'export-limit': 'control.strategy.export-limit',
  'outage-reserve': 'control.strategy.outage-reserve',
} as const satisfies Record<StrategyName, MessageKey>;

/** In the station's composition order. */
export const STRATEGY_ORDER = Object.keys(STRATEGY_LABELS) as StrategyName[];

/** "−2.5 kW (charge)", "40 %", "on": plain text for a setpoint. */
export function setpointText(s: Setpoint | null): string {
  if (!s) return '—';
  if (s.kind === 'battery') {
    const kw = (s.powerW / 1000).toFixed(2).replace(/\.?0+$/, '');
    return `${kw} kW`;
  }
  if (s.kind === 'pv-limit') return `${Math.round(s.limitPct * 10) / 10} %`;
  return s.on ? 'on' : 'off';
}

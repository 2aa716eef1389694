// The energy-flow diagram in words: its text alternative for screen readers, and a
// summary anyone can read aloud. Pure, so the sentences are unit-tested.
import type { SiteFlows } from '../api/contract';
import { DICTIONARIES, type Locale, type MessageKey } from '../i18n/dictionaries';
import { formatPercent, formatPowerW } from '../i18n/format';
import { interpolate, type MessageParams } from '../i18n/translate';
import { batteryDirection, gridDirection } from './flows';

export function describeFlows(flows: SiteFlows, locale: Locale): string {
  const say = (key: MessageKey, params?: MessageParams): string =>
    interpolate(DICTIONARIES[locale][key], params);
  const power = (w: number): string => formatPowerW(w, locale);
  const sentences: string[] = [];

  sentences.push(
    flows.pvW === null
      ? say('flow.desc.pvUnavailable')
      : say('flow.desc.pv', { power: power(flows.pvW) }),
  );
  sentences.push(
    flows.loadW === null
      ? say('flow.desc.loadUnavailable')
      : say('flow.desc.load', { power: power(flows.loadW) }),
  );
  if (flows.batteryW === null) {
    sentences.push(say('flow.desc.batteryUnavailable'));
  } else {
    const direction = batteryDirection(flows.batteryW);
    const key: MessageKey =
      direction === 'charge'
        ? 'flow.desc.batteryCharge'
        : direction === 'discharge'
          ? 'flow.desc.batteryDischarge'
          : 'flow.desc.batteryIdle';
    sentences.push(say(key, { power: power(flows.batteryW) }));
  }
  if (flows.socPct !== null) {
    sentences.push(say('flow.desc.soc', { soc: formatPercent(flows.socPct, locale) }));
  }
  if (flows.gridW === null) {
    sentences.push(say('flow.desc.gridUnavailable'));
  } else {
    const direction = gridDirection(flows.gridW);
    const key: MessageKey =
      direction === 'import'
        ? 'flow.desc.gridImport'
        : direction === 'export'
          ? 'flow.desc.gridExport'
          : 'flow.desc.gridIdle';
    sentences.push(say(key, { power: power(flows.gridW) }));
  }
  return sentences.join(' ');
}

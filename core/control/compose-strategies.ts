// Runs the strategies in order and merges their requests under the narrowing rule
// (narrowing.ts). Seed requests (the operator's) come first: strategies can only narrow them,
// e.g. the outage reserve still stops a manual discharge below the reserve SoC.
import type { ControlConfig } from './control-config';
import type { ControlSnapshot } from './control-snapshot';
import { narrow } from './narrowing';
import {
  sameSetpoint,
  type ComposedRequest,
  type RequestSource,
  type Setpoint,
} from './setpoint-types';
import type { NamedStrategy, StrategyInputs } from './strategies/strategy-types';

export interface SourcedSetpoint {
  source: RequestSource;
  setpoint: Setpoint;
}

/** Folds requests one by one into `composed` (keyed by device id, insertion-ordered). */
export function mergeRequests(
  composed: Map<string, ComposedRequest>,
  requests: readonly SourcedSetpoint[],
): void {
  for (const { source, setpoint } of requests) {
    const earlier = composed.get(setpoint.deviceId);
    if (!earlier) {
      composed.set(setpoint.deviceId, {
        setpoint,
        requestedBy: source,
        narrowedBy: [],
        refused: [],
      });
      continue;
    }
    const result = narrow(earlier.setpoint, setpoint);
    if (result.kind === 'clamped') {
      earlier.refused.push({ source, asked: setpoint, why: result.why });
    }
    // A clamped widening may still narrow (a charge asked after a discharge ends at 0 W).
    if (!sameSetpoint(earlier.setpoint, result.setpoint)) earlier.narrowedBy.push(source);
    earlier.setpoint = result.setpoint;
  }
}

export function composeRequests(
  snapshot: ControlSnapshot,
  config: ControlConfig,
  inputs: StrategyInputs,
  strategies: readonly NamedStrategy[],
  seed: readonly SourcedSetpoint[] = [],
): ComposedRequest[] {
  const composed = new Map<string, ComposedRequest>();
  mergeRequests(composed, seed);
  for (const strategy of strategies) {
    const previous = new Map([...composed].map(([id, r]) => [id, r.setpoint]));
    const asked = strategy.run(snapshot, config, previous, inputs);
    mergeRequests(
      composed,
      asked.map((setpoint) => ({ source: strategy.name, setpoint })),
    );
  }
  return [...composed.values()];
}

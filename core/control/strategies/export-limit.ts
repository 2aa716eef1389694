// Export limit at the grid connection: a utility rule, so it binds even when the batteries
// cannot help. Export expected after the battery requests so far (what the batteries can
// absorb, within their limits, is already in the projection) above (exportLimitW − marginW)
// is cut from the PV inverters in proportion to their output. Curtailment is released only
// when export is at least one more margin below the target, so the limit does not chatter.
// Without fresh grid data the limits stay as they are (no request: never raise blind).
import { projectedGridW } from '../grid-projection';
import { controllablePv, pvLimitsForChange } from '../pv-curtailment';
import type { Strategy } from './strategy-types';

export const exportLimit: Strategy = (snapshot, config, previous) => {
  const gridW = projectedGridW(snapshot, config, previous);
  if (gridW === null) return [];
  const { exportLimitW, marginW } = config.exportLimit;
  const exportW = -gridW;
  const targetW = exportLimitW - marginW;
  const pvs = controllablePv(snapshot.devices);
  if (exportW > targetW) return pvLimitsForChange(pvs, targetW - exportW);
  const headroomW = targetW - exportW;
  return headroomW >= marginW ? pvLimitsForChange(pvs, headroomW) : [];
};

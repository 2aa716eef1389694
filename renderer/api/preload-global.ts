import type { PreloadGlobalName } from './contract';

// The renderer may not import runtime values from core/, so the name is repeated here;
// the type annotation makes the compiler reject any drift from the contract's constant.
export const PRELOAD_GLOBAL: PreloadGlobalName = 'microgridStation';

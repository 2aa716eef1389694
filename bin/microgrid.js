#!/usr/bin/env node
// Entry point of the `microgrid` command. The station runs from its TypeScript sources
// through tsx, so `npx microgrid` works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

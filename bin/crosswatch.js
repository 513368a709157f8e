#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx; no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../services/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

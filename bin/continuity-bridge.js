#!/usr/bin/env node
// Runs the TypeScript CLI directly on Node >= 22.18 / 24 (type stripping).
await import('../src/cli/cli.ts');

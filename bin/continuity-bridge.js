#!/usr/bin/env node
// Checks the Node version in plain JavaScript, then runs the TypeScript CLI
// directly (Node 24 strips types; there is no build step).
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node, process.execPath);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
import('../src/cli/cli.ts');

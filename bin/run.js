#!/usr/bin/env node
// oclif's entry from the bundle (scripts/bundle-cli.mjs): the commands oclif then loads from
// dist/bundle/commands share its copy of oclif, and a command starts by reading a few files.
import { execute } from '../dist/bundle/cli/main.js';

await execute({ dir: import.meta.url });

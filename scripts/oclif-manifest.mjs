#!/usr/bin/env node
/**
 * Writes oclif.manifest.json after a build. Without a manifest, oclif imports every command module
 * (and everything they import: vega, the model, ...) on every invocation just to list their flags;
 * with it, a run imports only the command it executes. This is what `oclif manifest` does, without
 * the weight of the oclif packaging tool as a dependency.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true });
await plugin.load();
fs.writeFileSync(path.join(root, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest, null, 2)}\n`);
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`);

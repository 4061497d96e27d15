#!/usr/bin/env node
// The subpath: '@oclif/core' itself loads all of oclif (and semver) before any command runs.
import { execute } from '@oclif/core/execute';

await execute({ dir: import.meta.url });

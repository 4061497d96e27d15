/**
 * scripts/postgres-server.mjs, as root, runs the server from a copy of its programs when the user
 * `postgres` cannot reach node_modules (a checkout under `mktemp -d`'s 0700 folder); the check that
 * decides it is folderClosedToOthers. (The copy itself runs whenever the suite does in such a
 * folder: the global setup starts its server that way, or the store tests fail.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { folderClosedToOthers } from '../../scripts/postgres-server.mjs';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A folder like `mktemp -d` makes (0700, in the system's temporary folder), with a/b/file inside. */
function privateTree(): { top: string; file: string } {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncscope-closed-'));
  made.push(top);
  fs.chmodSync(top, 0o700);
  fs.mkdirSync(path.join(top, 'a', 'b'), { recursive: true, mode: 0o755 });
  const file = path.join(top, 'a', 'b', 'file');
  fs.writeFileSync(file, '');
  return { top, file };
}

describe('folderClosedToOthers', () => {
  it('names the 0700 folder above the file, not the open folders below it', () => {
    const { top, file } = privateTree();
    expect(folderClosedToOthers(file)).toBe(top);
  });

  it('names the innermost closed folder when two are closed', () => {
    const { file } = privateTree();
    const inner = path.join(path.dirname(file), '..');
    fs.chmodSync(inner, 0o700);
    expect(folderClosedToOthers(file)).toBe(path.resolve(inner));
  });

  it('lets the file through once the folder is searchable by others', () => {
    const { top, file } = privateTree();
    fs.chmodSync(top, 0o711);
    // The system's temporary folder and the root are open on any usable machine.
    expect(folderClosedToOthers(file)).toBeNull();
  });

  it("counts the group's search permission only for a group other than root's", () => {
    const { top, file } = privateTree();
    fs.chmodSync(top, 0o710);
    const { gid } = fs.statSync(top);
    expect(folderClosedToOthers(file)).toBe(gid === 0 ? top : null);
    if (process.getuid?.() === 0) {
      fs.chownSync(top, 0, 4242);
      expect(folderClosedToOthers(file)).toBeNull();
      fs.chownSync(top, 0, 0);
      expect(folderClosedToOthers(file)).toBe(top);
    }
  });
});

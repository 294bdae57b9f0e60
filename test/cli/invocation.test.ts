import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterlabCommand, localize } from '../../src/cli/invocation.js';

/** A fake install (package with bin/clusterlab.js) and PATH directories around it. */
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-invocation-'));
const root = path.join(base, 'pkg');
const bin = path.join(root, 'bin', 'clusterlab.js');
fs.mkdirSync(path.dirname(bin), { recursive: true });
fs.writeFileSync(bin, '', { mode: 0o755 });
const linkIn = (dir: string) => {
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(bin, path.join(dir, 'clusterlab'));
  return dir;
};
const globalBin = linkIn(path.join(base, 'global', 'bin'));
const npxBin = linkIn(path.join(base, '_npx', 'abc', 'node_modules', '.bin'));
const elsewhere = path.join(base, 'elsewhere');
fs.mkdirSync(elsewhere);

const at = (cwd: string, PATH = '') => clusterlabCommand({ env: { PATH }, cwd, platform: 'linux', root });

describe.skipIf(process.platform === 'win32')('how to run clusterlab from here', () => {
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('a global install on PATH: clusterlab', () => {
    expect(at(elsewhere, globalBin)).toBe('clusterlab');
  });

  it("inside the project: npx clusterlab (npm runs the package's own bin)", () => {
    expect(at(root)).toBe('npx clusterlab');
    expect(at(path.join(root, 'bin'))).toBe('npx clusterlab');
  });

  it('PATH entries npm adds for npx or npm start do not count as installed', () => {
    expect(at(root, npxBin)).toBe('npx clusterlab');
    expect(at(elsewhere, npxBin)).toBe(bin);
  });

  it('anywhere else: the path of the bin script', () => {
    expect(at(elsewhere)).toBe(bin);
  });

  it('suggested commands are rewritten to what works here', () => {
    expect(localize('clusterlab up --name a', 'npx clusterlab')).toBe('npx clusterlab up --name a');
    expect(localize('clusterlab down && clusterlab up', 'npx clusterlab')).toBe(
      'npx clusterlab down && npx clusterlab up',
    );
    expect(localize('tail -n 50 /x/clusterlab/sim.log', 'npx clusterlab')).toBe(
      'tail -n 50 /x/clusterlab/sim.log',
    );
  });
});

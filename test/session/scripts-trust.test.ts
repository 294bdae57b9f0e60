import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeFailure, runScript } from '../../src/session/scripts.js';
import { folderHash, TrustStore } from '../../src/session/trust.js';
import { until } from '../checks/support.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-scripts-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, text: string, mode = 0o755) => {
  const f = path.join(dir, rel);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text, { mode });
  return f;
};

describe('scenario scripts', () => {
  it('run in the scenario folder with the lab in the environment; failures say what they printed', async () => {
    const f = write(
      'solutions/01.sh',
      '#!/bin/sh\necho "lab=$CLUSTERLAB_LAB at $(pwd)"\necho "kubectl: no such object" >&2\nexit 3\n',
    );
    const r = await runScript(f, {
      cwd: dir,
      env: { ...process.env, CLUSTERLAB_LAB: 'cka' },
      timeoutMs: 10_000,
    });
    expect(r).toMatchObject({ exitCode: 3, stdout: `lab=cka at ${fs.realpathSync(dir)}\n`, timedOut: false });
    expect(describeFailure(r, dir)).toBe('solutions/01.sh exited with code 3:\n    kubectl: no such object');
  });

  it('a script without the executable bit runs with sh', async () => {
    const f = write('setup.sh', 'echo plain\n', 0o644);
    expect((await runScript(f, { cwd: dir, env: process.env, timeoutMs: 10_000 })).stdout).toBe('plain\n');
  });

  it('a script that runs too long is stopped, with what it started', async () => {
    const pidFile = path.join(dir, 'pid');
    const f = write('hang.sh', `#!/bin/sh\necho $$ > ${pidFile}\n(sleep 30) &\nsleep 30\n`);
    const r = await runScript(f, { cwd: dir, env: process.env, timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(describeFailure(r, dir)).toBe('hang.sh did not finish in time and was stopped');
    // The script led its own process group; its background child went with it.
    const group = Number(fs.readFileSync(pidFile, 'utf8'));
    await until('the process group to be gone', () => {
      try {
        process.kill(-group, 0);
        return false;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'ESRCH';
      }
    });
  });
});

describe('trusting scenario folders', () => {
  it('is remembered per folder and content; an edit needs trust again; built-ins are always trusted', () => {
    const state = path.join(dir, 'state');
    const builtin = path.join(dir, 'builtin');
    const mine = path.join(dir, 'mine');
    write('mine/scenario.yaml', 'format: 1\n');
    write('builtin/one/scenario.yaml', 'format: 1\n');
    const store = new TrustStore(state, builtin);
    expect(store.isTrusted(path.join(builtin, 'one'))).toBe(true);
    expect(store.isTrusted(mine)).toBe(false);
    expect(() => store.require(mine)).toThrow(/is not one of clusterlab's built-in scenarios/);
    store.trust(mine);
    expect(store.isTrusted(mine)).toBe(true);
    const before = folderHash(mine);
    write('mine/solutions/01.sh', 'rm -rf ~\n');
    expect(folderHash(mine)).not.toBe(before);
    expect(store.isTrusted(mine)).toBe(false);
    expect(() => store.require(mine)).toThrow(/changed since you trusted it/);
  });

  it('a corrupt trust file is kept aside and reported', () => {
    const state = path.join(dir, 'state');
    fs.mkdirSync(state);
    fs.writeFileSync(path.join(state, 'trusted-scenarios.json'), '{nope');
    const store = new TrustStore(state, path.join(dir, 'builtin'));
    expect(() => store.isTrusted(dir)).toThrow(
      /could not be read; it was kept as .*trusted-scenarios\.json\.corrupt-/,
    );
    expect(store.isTrusted(path.join(dir, 'builtin', 'x'))).toBe(true);
  });
});

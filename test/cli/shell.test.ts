import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliHome, cliHome, requireBuild } from './helpers/cli.js';

const bash = ['/bin/bash', '/usr/bin/bash'].find((f) => fs.existsSync(f));
const dash = ['/bin/dash', '/usr/bin/dash'].find((f) => fs.existsSync(f));
// util-linux script(1) gives the shell a terminal, so it is interactive and shows its prompt.
const script = process.platform === 'linux' && fs.existsSync('/usr/bin/script');

describe('clusterlab shell (built CLI)', () => {
  let home: CliHome;
  beforeAll(async () => {
    requireBuild();
    home = cliHome();
    await home.ok(['up', '--name', 'sh', '--lab', 'single-node']);
  });
  afterAll(() => home?.cleanup());

  it.skipIf(!bash)(
    "runs bash with the lab's KUBECONFIG and CLUSTERLAB_LAB and returns its exit code",
    async () => {
      const r = await home.run(['shell', '--name', 'sh'], {
        env: { SHELL: bash },
        input: 'echo "$KUBECONFIG"; echo "lab=$CLUSTERLAB_LAB"; exit 3\n',
      });
      expect(r.code).toBe(3);
      expect(r.stdout).toBe(`${home.dir}/labs/sh/kubeconfig\nlab=sh\n`);
    },
  );

  it.skipIf(!bash || !script)('puts the lab name in front of the prompt of an interactive bash', async () => {
    const r = await home.run(['shell', '--name', 'sh'], {
      env: { SHELL: bash },
      input: 'exit 5\n',
      viaTerminal: true,
    });
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/\(clusterlab:sh\) .*exit 5/);
  });

  it.skipIf(!dash || !script)('sets PS1 for other shells (dash)', async () => {
    const r = await home.run(['shell', '--name', 'sh'], {
      env: { SHELL: dash, PS1: '$ ' },
      input: 'exit 6\n',
      viaTerminal: true,
    });
    expect(r.code).toBe(6);
    expect(r.stdout).toContain('(clusterlab:sh) $ ');
  });

  it('falls back to sh when SHELL is unset', async () => {
    const r = await home.run(['shell', '--name', 'sh'], {
      env: { SHELL: '' },
      input: 'echo "$KUBECONFIG"; exit 4\n',
    });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe(`${home.dir}/labs/sh/kubeconfig\n`);
  });

  it('refuses a lab that does not exist and says how to start it', async () => {
    const r = await home.run(['shell', '--name', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: there is no lab called "nope" (labs here: sh)');
    expect(r.stderr).toContain('fix: npx clusterlab up --name nope');
  });
});

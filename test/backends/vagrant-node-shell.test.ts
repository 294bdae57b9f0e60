import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeShell } from '../../src/backends/vagrant/node-shell.js';
import { closeNodeShells, vagrantNodes } from '../../src/backends/vagrant/nodes.js';
import type { VagrantLabRecord } from '../../src/backends/vagrant/record.js';

/**
 * The long-lived node shell's protocol, against a local bash standing in for the one on the
 * VM (the end-to-end test runs it over SSH): outputs and exit codes come back apart and whole,
 * commands cannot disturb the shell or each other, and a dead or stuck shell is replaced.
 */
const shells: NodeShell[] = [];
function localShell(timeoutMs?: number): NodeShell {
  const s = new NodeShell(
    async () => spawn('bash', ['--noprofile', '--norc'], { stdio: 'pipe', env: { PATH: process.env.PATH } }),
    timeoutMs,
  );
  shells.push(s);
  return s;
}
afterEach(() => {
  for (const s of shells.splice(0)) s.close();
});

describe('the node shell', () => {
  it('returns each command its own stdout, stderr and exit code', async () => {
    const sh = localShell();
    expect(await sh.exec(['sh', '-c', 'echo out; echo err >&2; exit 3'])).toEqual({
      stdout: 'out\n',
      stderr: 'err\n',
      exitCode: 3,
    });
    // Output without a final newline, and arguments that need quoting, come through exactly.
    expect(await sh.exec(['printf', '%s|', "it's", 'a b', '$HOME'])).toEqual({
      stdout: "it's|a b|$HOME|",
      stderr: '',
      exitCode: 0,
    });
    expect((await sh.exec(['no-such-command-here'])).exitCode).toBe(127);
  });

  it('keeps commands apart: no stdin, no shared directory, in order when run together', async () => {
    const sh = localShell();
    // stdin is /dev/null: cat ends at once instead of eating the commands that follow.
    expect(await sh.exec(['cat'])).toMatchObject({ stdout: '', exitCode: 0 });
    await sh.exec(['cd', '/tmp']);
    expect((await sh.exec(['pwd'])).stdout).not.toBe('/tmp\n');
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => sh.exec(['echo', String(i)])));
    expect(many.map((r) => r.stdout)).toEqual(Array.from({ length: 20 }, (_, i) => `${i}\n`));
  });

  it('opens a new shell after the old one died or a command overstayed its timeout', async () => {
    const sh = localShell(2500);
    const died = await sh.exec(['sh', '-c', 'kill -9 $PPID']);
    expect(died.exitCode).toBe(255);
    expect(died.stderr).toMatch(/session to the node ended/);
    expect((await sh.exec(['echo', 'again'])).stdout).toBe('again\n');
    const stuck = await sh.exec(['sleep', '30']);
    expect(stuck.exitCode).toBe(124);
    expect(stuck.stderr).toMatch(/did not finish within 2.5 s/);
    expect((await sh.exec(['echo', 'after'])).stdout).toBe('after\n');
  });
});

describe("a Vagrant lab's node handles", () => {
  it('share one shell per node however often the nodes are asked for, until the lab goes', async () => {
    // A stand-in `ssh` that counts the sessions it opens and gives a local shell.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-node-shell-'));
    const opened = path.join(tmp, 'opened');
    fs.writeFileSync(
      path.join(tmp, 'ssh'),
      `#!/bin/sh\nfor a; do last=$a; done\necho "$last" >>${opened}\nexec bash --noprofile --norc\n`,
      { mode: 0o755 },
    );
    const env = { ...process.env, PATH: `${tmp}:${process.env.PATH}` };
    const rec = { profile: 'linux', vms: ['node-1', 'node-2'] } as VagrantLabRecord;
    const dir = path.join(tmp, 'lab');
    const sessions = () => fs.readFileSync(opened, 'utf8').trim().split('\n').length;
    try {
      // Every live check asks for the nodes anew.
      for (let i = 0; i < 3; i++)
        for (const n of vagrantNodes(dir, rec, env, undefined))
          expect((await n.exec(['echo', n.name])).stdout).toBe(`${n.name}\n`);
      expect(sessions()).toBe(2);
      closeNodeShells(dir);
      await vagrantNodes(dir, rec, env, undefined)[0]!.exec(['true']);
      expect(sessions()).toBe(3);
    } finally {
      closeNodeShells(dir);
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

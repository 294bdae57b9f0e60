import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerExec } from '../../src/backends/docker/exec.js';
import { dockerShell } from '../../src/backends/docker/shell.js';
import { KIND_CLUSTER_LABEL, KIND_ROLE_LABEL } from '../../src/backends/kind/names.js';
import { kindNodes } from '../../src/backends/kind/nodes.js';
import type { TerminalIO } from '../../src/backends/types.js';
import { dockerOrSkip, ensureTestImage, removeLabelled } from './helpers/docker.js';

const { docker, skip } = await dockerOrSkip();
const cluster = `clt-${randomBytes(3).toString('hex')}`;

async function startNode(d: Docker, name: string, role: string, clusterName = cluster): Promise<string> {
  const c = await d.createContainer({
    name,
    Image: await ensureTestImage(d),
    Cmd: ['sleep', '3600'],
    Labels: { [KIND_CLUSTER_LABEL]: clusterName, [KIND_ROLE_LABEL]: role },
  });
  await c.start();
  return c.id;
}

describe.skipIf(!!skip)('node exec through dockerode, against the real Docker engine', () => {
  let worker = '';
  beforeAll(async () => {
    worker = await startNode(docker!, `${cluster}-worker`, 'worker');
    await startNode(docker!, `${cluster}-control-plane`, 'control-plane');
    await startNode(docker!, `${cluster}x-worker`, 'worker', `${cluster}x`);
  }, 120_000);
  afterAll(async () => {
    if (!docker) return;
    await removeLabelled(docker, `${KIND_CLUSTER_LABEL}=${cluster}`);
    await removeLabelled(docker, `${KIND_CLUSTER_LABEL}=${cluster}x`);
  });

  it('splits stdout from stderr and passes the exit code through', async () => {
    const r = await dockerExec(docker!, worker, ['sh', '-c', 'echo out; echo err >&2; echo more; exit 3']);
    expect(r).toEqual({ stdout: 'out\nmore\n', stderr: 'err\n', exitCode: 3 });
    expect((await dockerExec(docker!, worker, ['true'])).exitCode).toBe(0);
  });

  it('keeps large interleaved output whole and in order on each stream', async () => {
    const r = await dockerExec(docker!, worker, ['sh', '-c', 'seq 1 30000; seq 1 20000 >&2; echo end']);
    const expected = (n: number) => `${Array.from({ length: n }, (_, i) => i + 1).join('\n')}\n`;
    expect(r.stdout).toBe(`${expected(30000)}end\n`);
    expect(r.stderr).toBe(expected(20000));
    expect(r.exitCode).toBe(0);
  });

  it('feeds stdin and reports a command that does not exist as Docker does', async () => {
    const echo = await dockerExec(docker!, worker, ['cat'], { stdin: 'hello node\n' });
    expect(echo).toEqual({ stdout: 'hello node\n', stderr: '', exitCode: 0 });
    const missing = await dockerExec(docker!, worker, ['no-such-command']);
    expect([126, 127]).toContain(missing.exitCode);
    expect(missing.stdout + missing.stderr).toMatch(/no-such-command.*not found|executable file not found/);
  });

  it('gives an interactive shell with a terminal, and its exit code', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let screen = '';
    stdout.on('data', (d: Buffer) => {
      screen += d.toString('utf8');
    });
    const io = { stdin, stdout, stderr: stdout } as unknown as TerminalIO;
    const done = dockerShell(docker!, worker, io, ['sh']);
    stdin.write('[ -t 0 ] && echo "a terminal on $(cat /etc/hostname)"\n');
    stdin.write('exit 5\n');
    expect(await done).toBe(5);
    // The remote terminal echoes what was typed and answers; lines end in CR LF, as on a TTY.
    expect(screen).toMatch(/\r\na terminal on [0-9a-f]{12}\r\n/);
  });

  it("finds a lab's nodes by kind's labels, with their roles, and runs commands on them", async () => {
    const nodes = await kindNodes(docker!, cluster);
    expect(nodes.every((n) => typeof n.shell === 'function')).toBe(true);
    expect(nodes.map((n) => [n.name, n.role])).toEqual([
      [`${cluster}-control-plane`, 'control-plane'],
      [`${cluster}-worker`, 'worker'],
    ]);
    const r = await nodes[1]!.exec(['cat', '/etc/hostname']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toMatch(/^[0-9a-f]{12}$/);
  });
});

import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pidAlive } from '../../src/backends/sim/process.js';
import { kubectlOnPath } from '../helpers/kubectl.js';
import { missingTool } from '../helpers/tools.js';
import { type CliHome, cliHome, eventually, requireBuild } from './helpers/cli.js';

const skip = kubectlOnPath() ? undefined : missingTool('kubectl', 'the lab suites run the real kubectl');

// One lab, taken through its whole life in order: each step starts from where the last left it.
describe.skipIf(!!skip)('clusterlab up / kubectl / status / crash / down (built CLI, sim backend)', () => {
  let home: CliHome;
  beforeAll(() => {
    requireBuild();
    home = cliHome();
  });
  afterAll(() => home?.cleanup());

  it('up starts a 3-node lab and says what to type next', async () => {
    const r = await home.ok(['up']);
    expect(r.stdout).toContain('Lab "lab" is up: 3 nodes (1 control plane, 2 workers)');
    expect(r.stdout).toContain('clusterlab kubectl -- get nodes');
    expect(r.stdout).toContain(`export KUBECONFIG=${home.dir}/labs/lab/kubeconfig`);
    expect(r.stdout).toContain('clusterlab shell');
    expect(r.stdout).toContain('clusterlab down');
    // Not a terminal: plain lines, one per phase start and end, no cursor movement.
    expect(r.stderr).toMatch(/✓ Starting the API server/);
    expect(r.stderr).not.toContain('\x1b[');
  });

  it('kubectl -- get nodes shows three Ready nodes named like kind names them', async () => {
    const r = await home.ok(['kubectl', '--', 'get', 'nodes', '--no-headers']);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    expect(rows).toEqual(['lab-control-plane Ready', 'lab-worker Ready', 'lab-worker2 Ready']);
  });

  it("kubectl passes kubectl's exit code and error through", async () => {
    const r = await home.run(['kubectl', '--', 'get', 'pod', 'nope', '-n', 'default']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error from server (NotFound): pods "nope" not found');
  });

  it('status --json describes the running lab', async () => {
    const r = await home.ok(['status', '--json']);
    const st = JSON.parse(r.stdout);
    expect(st).toMatchObject({
      name: 'lab',
      backend: 'sim',
      status: 'running',
      labId: 'default',
      nodes: 3,
      kubernetesVersion: 'v1.33.1',
      kubeconfig: `${home.dir}/labs/lab/kubeconfig`,
      dir: `${home.dir}/labs/lab`,
      log: `${home.dir}/labs/lab/sim.log`,
    });
    expect(st.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(Number.isInteger(st.pid)).toBe(true);
    expect(Number.isNaN(Date.parse(st.createdAt))).toBe(false);
  });

  it('kubeconfig prints the path of a file only its owner can read', async () => {
    const r = await home.ok(['kubeconfig']);
    const file = r.stdout.trim();
    expect(file).toBe(`${home.dir}/labs/lab/kubeconfig`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toContain('current-context: clusterlab-lab');
  });

  it('up on a running lab is a no-op that says so', async () => {
    const before = JSON.parse((await home.ok(['status', '--json'])).stdout).pid;
    const r = await home.ok(['up']);
    expect(r.stdout).toContain('Lab "lab" is already running');
    expect(JSON.parse((await home.ok(['status', '--json'])).stdout).pid).toBe(before);
  });

  it('up with a different --nodes on the existing lab refuses and says to down it first', async () => {
    const r = await home.run(['up', '--nodes', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('lab "lab" already exists and it has 3 nodes, you asked for 2');
    expect(r.stderr).toContain('fix: npx clusterlab down && npx clusterlab up --nodes 2');
  });

  it('a sim that is alive but does not answer (SIGSTOP) is reported unresponsive, not running', async () => {
    const pid = JSON.parse((await home.ok(['status', '--json'])).stdout).pid as number;
    process.kill(pid, 'SIGSTOP');
    try {
      const r = await home.run(['status', '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({
        status: 'unresponsive',
        pid,
        reason: `the sim (pid ${pid}) is running but its API does not answer`,
      });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(JSON.parse((await home.ok(['status', '--json'])).stdout).status).toBe('running');
  });

  it('after the sim is stopped with SIGTERM, status says stopped and up brings it back', async () => {
    const pid = JSON.parse((await home.ok(['status', '--json'])).stdout).pid as number;
    process.kill(pid, 'SIGTERM');
    const stopped = await eventually(async () => {
      const r = await home.run(['status']);
      return r.stdout.includes('Status:     stopped') ? r : undefined;
    });
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain('the sim is not running; it stopped cleanly and saved its state');
    expect(stopped.stdout).toMatch(/To start it again:\n\s+npx clusterlab up\n/);
    const up = await home.ok(['up']);
    expect(up.stdout).toContain('Lab "lab" is back with its saved state');
  });

  it('after kill -9, status says crashed and how to recover; up brings the lab back with its objects', async () => {
    const cm = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'before-crash', namespace: 'default' },
      data: { answer: '42' },
    });
    // --validate=false: object creation must not depend on the sim's OpenAPI documents here.
    await home.ok(['kubectl', '--', 'create', '-f', '-', '--validate=false'], { input: cm });
    const pid = JSON.parse((await home.ok(['status', '--json'])).stdout).pid as number;
    process.kill(pid, 'SIGKILL');

    const crashed = await eventually(async () => {
      const r = await home.run(['status']);
      return r.stdout.includes('crashed') ? r : undefined;
    });
    expect(crashed.code).toBe(1);
    expect(crashed.stdout).toContain(
      `Status:     crashed — the sim (pid ${pid}) is gone without stopping cleanly`,
    );
    expect(crashed.stdout).toContain(`tail -n 50 ${home.dir}/labs/lab/sim.log`);
    expect(crashed.stdout).toMatch(/To restart it with its saved state:\n\s+npx clusterlab up\n/);
    expect(JSON.parse((await home.run(['status', '--json'])).stdout).status).toBe('crashed');

    const up = await home.ok(['up']);
    expect(up.stdout).toContain('Lab "lab" is back with its saved state');
    const r = await home.ok([
      'kubectl',
      '--',
      'get',
      'configmap',
      'before-crash',
      '-o',
      'jsonpath={.data.answer}',
    ]);
    expect(r.stdout).toBe('42');
  });

  it('down stops the sim and removes the lab; a second down is a no-op that exits 0', async () => {
    const pid = JSON.parse((await home.ok(['status', '--json'])).stdout).pid as number;
    const r = await home.ok(['down']);
    expect(r.stdout).toContain('Lab "lab" was stopped and deleted.');
    expect(fs.existsSync(`${home.dir}/labs/lab`)).toBe(false);
    // pidAlive: a process that died but that nobody reaped yet (a zombie) counts as gone.
    expect(pidAlive(pid)).toBe(false);
    const again = await home.run(['down']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('There is no lab called "lab"; nothing to do.');
    const st = await home.run(['status', '--json']);
    expect(st.code).toBe(1);
    expect(JSON.parse(st.stdout)).toMatchObject({ name: 'lab', status: 'absent' });
  });
});

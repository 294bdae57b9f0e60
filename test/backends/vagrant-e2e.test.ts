import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../src/backends/host-tools.js';
import { labNodes } from '../../src/backends/labs.js';
import { silentLogger } from '../../src/backends/types.js';
import { boxInputsHash, localBoxFile } from '../../src/backends/vagrant/box.js';
import { sweepLibvirt } from '../../src/backends/vagrant/destroy.js';
import { BIN, type CliHome, type CliResult, cliHome, ROOT, requireBuild } from '../cli/helpers/cli.js';
import { missingTool } from '../helpers/tools.js';

/**
 * The Vagrant backend for real, as CI runs it (scripts/ci-setup-vagrant.sh installs Vagrant,
 * vagrant-libvirt and QEMU and starts libvirtd): build the offline Debian box (once per box
 * inputs; CLUSTERLAB_VAGRANT_BOX_DIR keeps it between runs), `clusterlab up` the 2-VM Linux
 * lab, run commands on both VMs over the shared SSH connections, `status`, `down`, and check
 * libvirt holds nothing of the lab afterwards. Under QEMU emulation on 2 cores: 2–4.5
 * minutes with the box cached, most of it the VMs booting, plus about 3 minutes when the box
 * is built (measured on a shared machine; the CI budget is 10 minutes). The phases' times are
 * printed at the end.
 */
const MIN = 60_000;
const LAB = 'e2e-vagrant';
const needed = ['vagrant', 'virsh', 'qemu-system-x86_64', 'debootstrap', 'extlinux', 'ssh'];
const missing = needed.filter((t) => !findOnPath(t));
const isRoot = process.getuid?.() === 0;
const skip =
  missing.length > 0
    ? missingTool(
        missing.join(', '),
        'the Vagrant end-to-end test; scripts/ci-setup-vagrant.sh installs them',
      )
    : !isRoot
      ? missingTool('root', 'the box build mounts a loop device; run the suite as root')
      : undefined;

/** Wall time of each phase, printed at the end: the CI budget for this suite is 10 minutes. */
const phases: string[] = [];
const seconds = (since: number) => `${Math.round((performance.now() - since) / 1000)} s`;

/** CLI runs still going: afterAll interrupts them first, so no `up` goes on making VMs after cleanup. */
const running = new Set<ChildProcess>();

function runLong(home: CliHome, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...home.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    child.on('exit', () => running.delete(child));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const virshNames = (args: string[]) =>
  execFileSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);

/**
 * What libvirt holds of the lab: domains, its network, disk volumes (the box's base volume
 * aside), and the shared management network when no other clusterlab VM is there to use it.
 */
function leftovers(): string[] {
  const prefix = `clusterlab-${LAB}`;
  const domains = virshNames(['list', '--all', '--name']);
  const others = domains.some((d) => d.startsWith('clusterlab-') && !d.startsWith(prefix));
  return [
    ...domains,
    ...virshNames(['net-list', '--all', '--name']),
    ...virshNames(['vol-list', 'default']),
  ].filter((n) => n.startsWith(prefix) || (!others && n.startsWith('clusterlab-mgmt-')));
}

/** Interrupt CLI runs still going (an `up` past the test's timeout): Ctrl-C, as a user would. */
async function interruptRunning(): Promise<void> {
  const children = [...running];
  for (const c of children) c.kill('SIGINT');
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          // Its own cleanup (vagrant destroy) gets two minutes; then it is ended.
          const timer = setTimeout(() => c.kill('SIGKILL'), 2 * MIN);
          c.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        }),
    ),
  );
}

describe.skipIf(skip)('the vagrant backend, for real (libvirt)', () => {
  let home: CliHome;
  let env: NodeJS.ProcessEnv;
  const boxDir =
    process.env.CLUSTERLAB_VAGRANT_BOX_DIR ||
    path.join(os.homedir(), '.cache', 'clusterlab', 'vagrant-boxes');

  beforeAll(() => {
    requireBuild();
    home = cliHome();
    env = {
      CLUSTERLAB_VAGRANT_BOX_DIR: boxDir,
      // The suite's own Vagrant home: its boxes and plugin state go with the suite.
      VAGRANT_HOME: path.join(home.dir, '..', 'vagrant.d'),
      NO_COLOR: '1',
    };
    const file = localBoxFile(boxDir, ROOT);
    if (!fs.existsSync(file)) {
      // A box built from other inputs is of no use any more.
      for (const old of fs.existsSync(boxDir) ? fs.readdirSync(boxDir) : [])
        if (old.endsWith('.box')) fs.rmSync(path.join(boxDir, old));
      const t = performance.now();
      execFileSync('bash', [path.join(ROOT, 'vagrant', 'box', 'build.sh'), file], { stdio: 'inherit' });
      phases.push(`box build ${seconds(t)}`);
    }
  }, 10 * MIN);

  afterAll(async () => {
    console.info(`vagrant e2e phases: ${phases.join(', ') || 'none ran'}`);
    if (!home) return;
    await interruptRunning();
    await runLong(home, ['down', '--name', LAB], env).catch(() => undefined);
    await sweepLibvirt(LAB, process.env);
    // The box's base volume belongs to this suite's Vagrant home, which goes now.
    for (const vol of virshNames(['vol-list', 'default']).filter((v) => v.includes(boxInputsHash(ROOT))))
      execFileSync('virsh', ['-c', 'qemu:///system', 'vol-delete', '--pool', 'default', vol]);
    fs.rmSync(path.join(home.dir, '..', 'vagrant.d'), { recursive: true, force: true });
    await home.cleanup();
  }, 5 * MIN);

  it(
    'brings up two Linux VMs, runs commands on both, reports status, and leaves nothing behind',
    async () => {
      let t = performance.now();
      const up = await runLong(
        home,
        ['up', '--name', LAB, '--backend', 'vagrant', '--lab', 'vagrant-linux'],
        env,
      );
      phases.push(`up ${seconds(t)}`);
      t = performance.now();
      expect(up.code, up.stdout + up.stderr).toBe(0);
      expect(up.stderr + up.stdout).toMatch(/node-1: SSH ready/);
      expect(up.stderr + up.stdout).toMatch(/node-2: provisioning \(linux\)/);
      // Plain Linux VMs: no Kubernetes, no API server; the next steps are node commands.
      expect(up.stdout).toMatch(/is up: 2 machines without Kubernetes, vagrant backend/);
      expect(up.stdout).not.toMatch(/API server|kubectl/);
      expect(up.stdout).toContain(`clusterlab node exec --name ${LAB} node-1 -- hostname`);

      const nodes = await labNodes(LAB, {
        stateDir: home.dir,
        log: silentLogger,
        env: { ...home.env, ...env },
      });
      expect(nodes.map((n) => n.name)).toEqual(['node-1', 'node-2']);
      for (const n of nodes) {
        const host = await n.exec(['hostname']);
        expect(host.exitCode, host.stderr).toBe(0);
        expect(host.stdout.trim()).toBe(n.name);
        const cgroup = await n.exec(['stat', '-fc', '%T', '/sys/fs/cgroup']);
        expect(cgroup.stdout.trim()).toBe('cgroup2fs');
        const tools = await n.exec([
          'sh',
          '-c',
          'command -v unshare nsenter lsns runc tcpdump && ls /opt/cni/bin/bridge',
        ]);
        expect(tools.exitCode, tools.stdout + tools.stderr).toBe(0);
      }
      const ping = await nodes[0]!.exec(['ping', '-c', '2', '-W', '5', '192.168.56.12']);
      expect(ping.exitCode, ping.stdout + ping.stderr).toBe(0);
      expect(ping.stdout).toMatch(/2 received/);
      const byName = await nodes[0]!.exec(['ping', '-c', '1', '-W', '5', 'node-2']);
      expect(byName.exitCode, byName.stdout).toBe(0);
      // Commands run as root over the shared connection (no sudo per command).
      const who = await nodes[1]!.exec(['id', '-un']);
      expect(who.stdout.trim()).toBe('root');

      // The same from the command line, as a learner types it: a command, and a shell fed on stdin.
      const exec = await home.run(['node', 'exec', '--name', LAB, 'node-2', '--', 'cat', '/etc/hostname'], {
        env,
      });
      expect(exec.code, exec.stderr).toBe(0);
      expect(exec.stdout.trim()).toBe('node-2');
      const shell = await home.run(['ssh', '--name', LAB, 'node-1'], {
        env,
        input: 'echo "$(hostname) $(id -un)"\n',
      });
      expect(shell.code, shell.stderr).toBe(0);
      expect(shell.stdout).toContain('node-1 root');

      const status = await runLong(home, ['status', '--name', LAB, '--json'], env);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ status: 'running', backend: 'vagrant', nodes: 2 });
      phases.push(`node commands and status ${seconds(t)}`);

      t = performance.now();
      const down = await runLong(home, ['down', '--name', LAB], env);
      phases.push(`down ${seconds(t)}`);
      expect(down.code, down.stderr).toBe(0);
      expect(leftovers()).toEqual([]);
      expect(fs.existsSync(path.join(home.dir, 'labs', LAB))).toBe(false);
    },
    15 * MIN,
  );
});

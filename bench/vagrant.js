// The vagrant backend's numbers for `npm run bench`: wall time of `clusterlab up` for the
// 2-VM Linux lab (the box file already built; adding it to Vagrant and uploading it to libvirt
// are part of the time, as on a learner's first up), and node exec latency through the node's
// long-lived root shell on the shared SSH connection (the first command, which opens the
// shell, then p50/p95 over 50 commands). Skips, saying why, when Vagrant, libvirt or the built
// box are missing (build it: sudo vagrant/box/build.sh, see docs/backend-vagrant.md). Leaves
// nothing in libvirt: the lab is destroyed and the box's base volume removed, as the
// end-to-end test does.
//   node bench/vagrant.js          (after npm run build; or through npm run bench)
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fmtMs } from './lib/report.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const LAB = 'bench-vagrant';
const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const virsh = (args) => spawnSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8' });

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Rows for the report, or one row saying why there are none. */
export async function vagrantBench(tmp) {
  const missing = ['vagrant', 'virsh', 'ssh'].filter((b) => !has(b));
  if (missing.length > 0) return [['vagrant backend', `skipped: ${missing.join(', ')} not installed`]];
  if (virsh(['version']).status !== 0)
    return [['vagrant backend', 'skipped: libvirtd does not answer (scripts/ci-setup-vagrant.sh starts it)']];
  const { localBoxFile, boxInputsHash } = await import('../dist/backends/vagrant/box.js');
  const boxDir =
    process.env.CLUSTERLAB_VAGRANT_BOX_DIR ||
    path.join(os.homedir(), '.cache', 'clusterlab', 'vagrant-boxes');
  if (!fs.existsSync(localBoxFile(boxDir, ROOT)))
    return [
      [
        'vagrant backend',
        `skipped: no box at ${localBoxFile(boxDir, ROOT)} (sudo vagrant/box/build.sh <that file>)`,
      ],
    ];

  const bin = path.join(ROOT, 'bin', 'clusterlab.js');
  const env = {
    ...process.env,
    CLUSTERLAB_HOME: path.join(tmp, 'vagrant-home'),
    CLUSTERLAB_VAGRANT_BOX_DIR: boxDir,
    // The bench's own Vagrant home: the box it adds goes with it.
    VAGRANT_HOME: path.join(tmp, 'vagrant.d'),
    NO_COLOR: '1',
  };
  const cli = (args) =>
    execFileSync(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const rows = [];
  try {
    const t = performance.now();
    cli(['up', '--name', LAB, '--backend', 'vagrant', '--lab', 'vagrant-linux']);
    rows.push(['vagrant: clusterlab up, 2-VM Linux lab (libvirt)', fmtMs(performance.now() - t)]);
    const { labNodes } = await import('../dist/backends/labs.js');
    const silent = { debug() {}, info() {}, warn() {}, error() {} };
    const [node] = await labNodes(LAB, { stateDir: env.CLUSTERLAB_HOME, log: silent, env });
    const first = performance.now();
    await node.exec(['true']); // up opened the shared connection; this is the first command on it
    rows.push(['vagrant: node exec, first command (opens the shell)', fmtMs(performance.now() - first)]);
    const times = [];
    for (let i = 0; i < 50; i++) {
      const s = performance.now();
      const r = await node.exec(['cat', '/proc/loadavg']);
      times.push(performance.now() - s);
      if (r.exitCode !== 0) throw new Error(`node exec failed: ${r.stderr}`);
    }
    times.sort((a, b) => a - b);
    rows.push(['vagrant: node exec (root shell on the shared SSH connection), p50', fmtMs(pct(times, 50))]);
    rows.push(['vagrant: node exec (root shell on the shared SSH connection), p95', fmtMs(pct(times, 95))]);
    // For comparison, at the same moment: one `ssh node cmd` per command on the same connection.
    const { sshExec } = await import('../dist/backends/vagrant/ssh.js');
    const sshConfig = path.join(env.CLUSTERLAB_HOME, 'labs', LAB, 'ssh_config');
    const plain = [];
    for (let i = 0; i < 20; i++) {
      const s = performance.now();
      await sshExec(sshConfig, node.name, ['cat', '/proc/loadavg'], { env });
      plain.push(performance.now() - s);
    }
    plain.sort((a, b) => a - b);
    rows.push(['vagrant: node exec, one ssh per command (for comparison), p50', fmtMs(pct(plain, 50))]);
  } catch (e) {
    rows.push(['vagrant backend', `failed: ${String(e.stderr ?? e.message ?? e).split('\n')[0]}`]);
  } finally {
    spawnSync(process.execPath, [bin, 'down', '--name', LAB], { env, stdio: 'ignore' });
    // The box's base volume belongs to the bench's Vagrant home, which goes with tmp.
    const vols = (virsh(['vol-list', 'default']).stdout ?? '')
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0]);
    for (const vol of vols.filter((v) => v?.includes(boxInputsHash(ROOT))))
      virsh(['vol-delete', '--pool', 'default', vol]);
  }
  return rows;
}

// Run on its own: print the rows.
if (import.meta.url === `file://${process.argv[1]}`) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-bench-vagrant-'));
  try {
    for (const [what, value] of await vagrantBench(tmp)) console.log(`${what}: ${value}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath } from '../../src/backends/host-tools.js';
import { parseLabDefinition } from '../../src/backends/lab-definition.js';
import { resolveLabSpec } from '../../src/backends/lab-spec.js';
import {
  boxList,
  machineStates,
  parseRecord,
  parseRecords,
} from '../../src/backends/vagrant/machine-readable.js';
import { bootstrapToken, nodeAddresses, renderParams } from '../../src/backends/vagrant/params.js';
import { type VagrantHostFacts, vagrantPreflightIssues } from '../../src/backends/vagrant/preflight.js';
import { parseSshConfig, renderSshConfig, shellQuote } from '../../src/backends/vagrant/ssh.js';
import { UpTracker } from '../../src/backends/vagrant/up-phases.js';
import { missingTool } from '../helpers/tools.js';

/**
 * The Vagrant backend's contracts that need no VM: the Vagrantfile renders the lab's machines,
 * the provisioning scripts are sound shell, and what Vagrant prints (recorded from real runs
 * on the development machines, test/fixtures/vagrant/) is read right.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'vagrant');
const LABS = path.join(ROOT, 'labs');

function labParams(labId: string, nodes?: number) {
  const { spec } = resolveLabSpec({ name: 'demo', labId, nodes }, LABS);
  return renderParams(spec, spec.vagrant!, { provider: 'libvirt', libvirtDriver: 'qemu', box: 'test/box' });
}

/** Evaluate the project's Vagrantfile with these parameters (ruby, with a recording Vagrant). */
function renderVagrantfile(params: object): any {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-vagrantfile-'));
  try {
    fs.copyFileSync(path.join(ROOT, 'vagrant', 'Vagrantfile'), path.join(dir, 'Vagrantfile'));
    fs.writeFileSync(path.join(dir, 'lab.vagrant.json'), JSON.stringify(params));
    const out = execFileSync(
      'ruby',
      [path.join(FIXTURES, 'render-vagrantfile.rb'), path.join(dir, 'Vagrantfile')],
      {
        encoding: 'utf8',
      },
    );
    return JSON.parse(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const hasRuby = !!findOnPath('ruby') || !missingTool('ruby', 'renders the Vagrantfile');
const hasShellcheck =
  !!findOnPath('shellcheck') || !missingTool('shellcheck', 'lints the provisioning scripts');

describe.skipIf(!hasRuby)('the Vagrantfile', () => {
  it('renders the kubeadm lab with N nodes, their addresses, roles and provisioners', () => {
    for (const n of [1, 3, 5]) {
      const params = labParams('vagrant-kubeadm', n);
      const cfg = renderVagrantfile(params);
      const machines = cfg.vm.machines as Array<{ name: string; config: any }>;
      expect(machines.map((m) => m.name)).toEqual(
        ['control-plane', 'worker-1', 'worker-2', 'worker-3', 'worker-4'].slice(0, n),
      );
      machines.forEach((m, i) => {
        const net = m.config.vm.network[0];
        expect(net.args).toEqual(['private_network']);
        expect(net.options.ip).toBe(`192.168.57.${11 + i}`);
        expect(net.options.libvirt__network_name).toBe('clusterlab-demo');
        expect(m.config.vm.provision[0].options.env).toEqual({ NODE_NAME: m.name });
        const lv = m.config.vm.providers.libvirt;
        expect(lv).toMatchObject({ driver: 'qemu', cpu_model: 'qemu64', cpus: 2, memory: 2048 });
        expect(lv.default_prefix).toBe('clusterlab-demo-');
        // kubeadm nodes download packages: the management network is NATed, not isolated.
        expect(lv.management_network_mode).toBeUndefined();
        const names = m.config.vm.provision.map((p: any) => p.args[0]);
        expect(names).toEqual(['hosts', 'kubeadm-node', i === 0 ? 'kubeadm-init' : 'kubeadm-join']);
        const hosts = m.config.vm.provision[0].options.args as string[];
        expect(hosts).toHaveLength(n);
        expect(hosts[0]).toBe('192.168.57.11 control-plane');
      });
      if (n > 1) {
        const join = machines[1]!.config.vm.provision[2].options.env;
        expect(join.CONTROL_IP).toBe('192.168.57.11');
        expect(join.KUBEADM_TOKEN).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
        expect(join.KUBEADM_TOKEN).toBe(machines[0]!.config.vm.provision[2].options.env.KUBEADM_TOKEN);
      }
    }
  });

  it('renders the linux lab: node-1 and node-2, isolated management network, the linux script', () => {
    const cfg = renderVagrantfile(labParams('vagrant-linux'));
    const machines = cfg.vm.machines as Array<{ name: string; config: any }>;
    expect(machines.map((m) => m.name)).toEqual(['node-1', 'node-2']);
    expect(machines.map((m) => m.config.vm.network[0].options.ip)).toEqual([
      '192.168.56.11',
      '192.168.56.12',
    ]);
    expect(machines[0]!.config.vm.providers.libvirt.management_network_mode).toBe('none');
    expect(machines[0]!.config.vm.provision.map((p: any) => p.args[0])).toEqual(['hosts', 'linux']);
    expect(cfg.vm.synced_folder[0].options.disabled).toBe(true);
    // The guest is named, so Vagrant does not probe for it over SSH at every boot.
    expect(cfg.vm.guest).toBe('debian');
  });
});

describe.skipIf(!hasShellcheck)('the provisioning and setup scripts', () => {
  const scripts = [
    ...fs.readdirSync(path.join(ROOT, 'vagrant', 'scripts')).map((f) => path.join('vagrant', 'scripts', f)),
    'vagrant/box/build.sh',
    'scripts/ci-setup-vagrant.sh',
  ];
  it.each(scripts)('%s passes bash -n and shellcheck', (script) => {
    execFileSync('bash', ['-n', path.join(ROOT, script)]);
    execFileSync('shellcheck', ['--severity=style', path.join(ROOT, script)], { encoding: 'utf8' });
  });
});

describe('machine-readable output', () => {
  it('reads records, with commas and newlines escaped', () => {
    const r = parseRecord(
      '1795333287,node-2,ui,info,==> node-2:  -- Image(vda):  /x.img%!(VAGRANT_COMMA) virtio',
    );
    expect(r).toEqual({
      timestamp: 1795333287,
      target: 'node-2',
      type: 'ui',
      data: ['info', '==> node-2:  -- Image(vda):  /x.img, virtio'],
    });
    expect(parseRecord('/usr/lib/ruby/warning: something')).toBeUndefined();
    expect(parseRecord('1,,ui,info,a\\nb')!.data[1]).toBe('a\nb');
  });

  // Recorded here: `vagrant up` by hand, and `clusterlab up` (box add first, guest named).
  it.each(['up-linux-2vm.log', 'up-linux-2vm-cli.log'])(
    'turns a recorded 2-VM `vagrant up` (%s) into per-VM phases that reach 100%%',
    (fixture) => {
      const records = parseRecords(fs.readFileSync(path.join(FIXTURES, fixture), 'utf8'));
      const tracker = new UpTracker(['node-1', 'node-2'], 2);
      const titles: string[] = [];
      const fractions: number[] = [];
      for (const r of records) {
        const e = tracker.take(r);
        if (e) {
          titles.push(e.title);
          fractions.push(tracker.fraction());
        }
      }
      for (const vm of ['node-1', 'node-2'])
        expect(titles.filter((t) => t.startsWith(`${vm}:`))).toEqual([
          `${vm}: creating the VM`,
          `${vm}: starting`,
          `${vm}: booting (waiting for SSH)`,
          `${vm}: SSH ready`,
          `${vm}: configuring its networks`,
          `${vm}: provisioning (hosts)`,
          `${vm}: provisioning (linux)`,
          `${vm}: up`,
        ]);
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
      expect(fractions.at(-1)).toBe(1);
    },
  );

  it('reads machine states and boxes', () => {
    const states = machineStates(
      parseRecords(fs.readFileSync(path.join(FIXTURES, 'status-linux-2vm.log'), 'utf8')),
    );
    expect(Object.fromEntries(states)).toEqual({ 'node-1': 'running', 'node-2': 'running' });
    const boxes = boxList(
      parseRecords('1,,box-name,clusterlab/debian12-abc\n1,,box-provider,libvirt\n1,,box-version,0\n'),
    );
    expect(boxes).toEqual([{ name: 'clusterlab/debian12-abc', provider: 'libvirt' }]);
  });
});

describe('parameters, SSH settings and preflight', () => {
  it('gives nodes .11 upwards on a /24 and fresh bootstrap tokens', () => {
    expect(nodeAddresses('10.0.7.0/24', 3)).toEqual(['10.0.7.11', '10.0.7.12', '10.0.7.13']);
    expect(() => nodeAddresses('10.0.0.0/16', 1)).toThrow(/\/24/);
    expect(bootstrapToken()).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(bootstrapToken()).not.toBe(bootstrapToken());
    const p = labParams('vagrant-kubeadm');
    expect(p.kubernetes).toMatchObject({ minor: 'v1.33', crioMinor: 'v1.33', podSubnet: '10.244.0.0/16' });
  });

  it('keeps one shared connection per node in the ssh_config it writes', () => {
    const hosts = parseSshConfig(fs.readFileSync(path.join(FIXTURES, 'ssh-config-linux-2vm.txt'), 'utf8'));
    expect([...hosts.keys()]).toEqual(['node-1', 'node-2']);
    const text = renderSshConfig(hosts, '/lab/ssh');
    expect(text).toContain('Host node-2\n');
    expect(text).toContain('ControlPath /lab/ssh/node-1.sock');
    expect(text).toContain('ControlMaster auto');
    // Node exec logs in as root (hosts.sh authorizes the lab key for it): no sudo per command.
    expect(text).toContain('Host node-1\n  User root\n');
    expect(text).not.toContain('User vagrant');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('/sys/fs/cgroup')).toBe('/sys/fs/cgroup');
  });

  it('says what is missing, with the command that fixes it', () => {
    const base: VagrantHostFacts = {
      platform: 'linux',
      vagrant: { path: '/usr/bin/vagrant', version: '2.3.4' },
      provider: 'libvirt',
      providerProblems: {},
      libvirtDriver: 'kvm',
      box: { name: 'clusterlab/debian12-x', present: true, public: false },
      profile: 'linux',
      vms: 2,
      memoryMiBPerVm: 512,
      availableMemoryMiB: 16384,
    };
    expect(vagrantPreflightIssues(base)).toEqual([]);
    const noVagrant = vagrantPreflightIssues({ ...base, vagrant: undefined });
    expect(noVagrant[0]).toMatchObject({ blocking: true, fix: expect.stringContaining('apt-get install') });
    const noBox = vagrantPreflightIssues({
      ...base,
      box: {
        ...base.box,
        present: false,
        fileExists: false,
        file: '/b.box',
        buildCommand: 'sudo build.sh /b.box',
      },
    });
    expect(noBox).toEqual([expect.objectContaining({ blocking: true, fix: 'sudo build.sh /b.box' })]);
    const tcg = vagrantPreflightIssues({ ...base, libvirtDriver: 'qemu', availableMemoryMiB: 2048 });
    expect(tcg.map((i) => i.blocking)).toEqual([false, true]);
    expect(tcg[1]!.problem).toMatch(/need about 3\.0 GiB/);
  });
});

describe('the vagrant section of a lab definition', () => {
  const def = (vagrant: string) =>
    `id: x\ntitle: X\nbackend: vagrant\nnodes: { controlPlanes: 1, workers: 1 }\nvagrant:\n${vagrant}`;
  it('reads the profile and sizes, with defaults per profile', () => {
    expect(parseLabDefinition(def('  profile: linux\n'), 'x.yaml').vagrant).toEqual({
      profile: 'linux',
      box: undefined,
      cpus: 1,
      memoryMiB: 768,
      network: '192.168.56.0/24',
    });
    expect(parseLabDefinition(def('  profile: kubeadm\n  memory: 4096\n'), 'x.yaml').vagrant).toMatchObject({
      cpus: 2,
      memoryMiB: 4096,
    });
  });
  it('points at mistakes', () => {
    expect(() => parseLabDefinition(def('  profile: windows\n'), 'x.yaml')).toThrow(
      /x\.yaml:6:12: "vagrant.profile" is "windows"; it is one of: linux, kubeadm/,
    );
    expect(() => parseLabDefinition(def('  profile: kubeadm\n  cpus: 1\n'), 'x.yaml')).toThrow(
      /"vagrant.cpus" must be a whole number from 2 to 64/,
    );
    expect(() => parseLabDefinition(def('  profile: linux\n  network: 10.0.0.0/16\n'), 'x.yaml')).toThrow(
      /a \/24/,
    );
  });
});

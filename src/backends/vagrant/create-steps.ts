import * as fs from 'node:fs';
import { UserError } from '../../errors.js';
import { writeFileAtomic } from '../../sim/files.js';
import { renameKubeconfigContext } from '../kind/kubeconfig-file.js';
import type { CreateContext, CreateStep } from './context.js';
import { provisionersPerVm, writeVagrantProject } from './lab-files.js';
import { contextName } from './names.js';
import { renderParams } from './params.js';
import { writeVagrantLab } from './record.js';
import { closeMaster, sshExec, writeSshConfig } from './ssh.js';
import { UpTracker, upReporter } from './up-phases.js';
import { runVagrant } from './vagrant-cli.js';

const run = (c: CreateContext, argv: string[], onRecord?: Parameters<typeof runVagrant>[1]['onRecord']) => {
  const log = fs.createWriteStream(c.files.upLog, { flags: 'a' });
  return runVagrant(argv, {
    bin: c.vagrantBin,
    cwd: c.dir,
    env: c.env,
    signal: c.signal,
    onRecord,
    onLine: (l) => {
      log.write(`${l}\n`);
      c.log.debug(`vagrant: ${l}`);
    },
  }).finally(() => log.end());
};

/** Creating a Vagrant lab, in order; any failure destroys what was made unless --retain. */
export const CREATE_STEPS: CreateStep[] = [
  {
    title: 'Preparing the lab files',
    doneAt: 2,
    async run(c) {
      const provider = c.facts.provider!;
      c.params = renderParams(c.spec, c.settings, {
        provider,
        libvirtDriver: c.facts.libvirtDriver,
        box: c.facts.box.name,
      });
      c.record = {
        backend: 'vagrant',
        createdAt: new Date().toISOString(),
        labId: c.spec.labId,
        profile: c.settings.profile,
        provider,
        libvirtDriver: c.facts.libvirtDriver,
        box: c.facts.box.name,
        vms: c.params.nodes.map((n) => n.name),
        kubernetesVersion: c.settings.profile === 'kubeadm' ? c.spec.kubernetesVersion : undefined,
        phase: 'creating',
      };
      writeVagrantLab(c.dir, c.record);
      writeVagrantProject(c.root, c.dir, c.params);
      return `${c.params.nodes.length} VMs, ${c.settings.profile} profile, ${provider}${provider === 'libvirt' ? ` (${c.facts.libvirtDriver})` : ''}`;
    },
  },
  {
    title: 'Adding the box to Vagrant',
    doneAt: 5,
    when: (c) => !c.facts.box.present && !c.facts.box.public,
    async run(c) {
      const file = c.facts.box.file!;
      if (!fs.existsSync(file))
        throw new UserError(`the box file ${file} is missing`, { fix: c.facts.box.buildCommand });
      await run(c, ['box', 'add', '--name', c.facts.box.name, file]);
      return `${c.facts.box.name} from ${file}`;
    },
  },
  {
    title: 'vagrant up',
    doneAt: 90,
    ownPhases: true,
    async run(c) {
      const params = c.params!;
      const tracker = new UpTracker(
        params.nodes.map((n) => n.name),
        provisionersPerVm(params),
      );
      const reporter = upReporter(c.progress, tracker, (f) => c.progress.percent(5 + 85 * f));
      c.vagrantRan = true;
      try {
        await run(c, ['up', '--provider', params.provider], (r) => reporter.record(r));
        reporter.close(true);
      } catch (err) {
        reporter.close(false);
        throw err;
      }
    },
  },
  {
    title: 'Connecting to the nodes over SSH',
    doneAt: 95,
    async run(c) {
      const records = await run(c, ['ssh-config']);
      const text = records
        .filter((r) => r.type === 'ssh-config')
        .map((r) => r.data.join(','))
        .join('\n');
      const hosts = writeSshConfig(c.files.sshConfig, c.files.sshDir, text);
      const missing = c.record!.vms.filter((vm) => !hosts.includes(vm));
      if (missing.length > 0)
        throw new UserError(`vagrant ssh-config gave no SSH settings for ${missing.join(', ')}`, {
          fix: `cd ${c.dir} && vagrant ssh-config`,
        });
      // The first command on each node opens the connection every later one reuses.
      for (const vm of c.record!.vms) {
        const r = await sshExec(c.files.sshConfig, vm, ['true'], { env: c.env, timeoutMs: 60_000 });
        if (r.exitCode !== 0)
          throw new UserError(
            `cannot run commands on ${vm} over SSH: ${r.stderr.trim() || `exit code ${r.exitCode}`}`,
            {
              fix: `cd ${c.dir} && vagrant ssh ${vm}`,
            },
          );
      }
      return `${hosts.length} connections kept open`;
    },
  },
  {
    title: 'Fetching the admin kubeconfig',
    doneAt: 98,
    when: (c) => c.settings.profile === 'kubeadm',
    async run(c) {
      const control = c.params!.nodes.find((n) => n.role === 'control-plane')!;
      const r = await sshExec(c.files.sshConfig, control.name, ['cat', '/etc/kubernetes/admin.conf'], {
        env: c.env,
      });
      if (r.exitCode !== 0)
        throw new UserError(`the control plane has no admin kubeconfig: ${r.stderr.trim()}`, {
          fix: `cd ${c.dir} && vagrant ssh ${control.name} -c 'sudo journalctl -u kubelet -n 50'`,
        });
      writeFileAtomic(c.files.kubeconfig, r.stdout, 0o600);
      const ctx = contextName(c.spec.name);
      for (const from of ['kubernetes-admin@kubernetes', 'kubernetes-admin', 'kubernetes'])
        renameKubeconfigContext(c.files.kubeconfig, from, ctx);
      return `context ${ctx}`;
    },
  },
  {
    title: 'Recording the lab',
    doneAt: 100,
    async run(c) {
      c.record!.phase = 'ready';
      writeVagrantLab(c.dir, c.record!);
    },
  },
];

/** Close every node's shared SSH connection (before the VMs go away). */
export async function closeMasters(sshConfig: string, vms: string[], env: NodeJS.ProcessEnv): Promise<void> {
  await Promise.all(vms.map((vm) => closeMaster(sshConfig, vm, env)));
}

import * as fs from 'node:fs';
import { UserError } from '../../errors.js';
import { labCommand } from '../../state/names.js';
import { kubeconfigServer } from '../kind/status.js';
import type { Progress, UpResult } from '../types.js';
import type { VagrantEnv } from './context.js';
import { machineStates } from './machine-readable.js';
import { vagrantLabFiles } from './names.js';
import type { VagrantLabRecord } from './record.js';
import { writeSshConfig } from './ssh.js';
import { runVagrant } from './vagrant-cli.js';

export interface ResumeRequest {
  name: string;
  dir: string;
  rec: VagrantLabRecord;
  progress: Progress;
  signal: AbortSignal;
  vagrantBin: string;
}

/** `up` of an existing lab: halted VMs boot again (no provisioning: they already were). */
export async function resumeVagrantLab(req: ResumeRequest, env: VagrantEnv): Promise<UpResult> {
  const { dir, rec, name } = req;
  if (rec.phase === 'creating')
    throw new UserError(`lab "${name}" was not finished (it was kept with --retain)`, {
      fix: `${labCommand('down', name)} && ${labCommand('up', name, '--backend vagrant')}`,
    });
  const f = vagrantLabFiles(dir);
  const o = { bin: req.vagrantBin, cwd: dir, env: env.env, signal: req.signal };
  const states = machineStates(await runVagrant(['status'], o));
  const allRunning = rec.vms.every((vm) => states.get(vm) === 'running');
  if (!allRunning) {
    req.progress.start(`Starting the VMs of lab "${name}"`);
    try {
      await runVagrant(['up', '--no-provision'], o);
      req.progress.end(true);
    } catch (err) {
      req.progress.end(false);
      throw err;
    }
    // Addresses and ports may change across a restart: ask Vagrant again.
    const records = await runVagrant(['ssh-config'], o);
    writeSshConfig(
      f.sshConfig,
      f.sshDir,
      records
        .filter((r) => r.type === 'ssh-config')
        .map((r) => r.data.join(','))
        .join('\n'),
    );
  }
  const kubeconfig = fs.existsSync(f.kubeconfig) ? f.kubeconfig : '';
  return {
    name,
    backend: 'vagrant',
    outcome: allRunning ? 'already-running' : 'restarted',
    kubeconfig,
    server: kubeconfig ? (kubeconfigServer(kubeconfig) ?? '') : '',
    nodes: rec.vms.length,
    kubernetesVersion: rec.kubernetesVersion ?? '',
  };
}

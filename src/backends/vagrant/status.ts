import * as fs from 'node:fs';
import { labCommand } from '../../state/names.js';
import { labDir } from '../../state/paths.js';
import { apiAnswers, kubeconfigServer } from '../kind/status.js';
import type { LabStatus } from '../types.js';
import { machineStates } from './machine-readable.js';
import { vagrantLabFiles } from './names.js';
import { readVagrantLab } from './record.js';
import { runVagrant } from './vagrant-cli.js';

/** The truth about a Vagrant lab: its record, `vagrant status` of its VMs, and its API (kubeadm). */
export async function vagrantStatus(
  stateDir: string,
  name: string,
  env: NodeJS.ProcessEnv,
  vagrantBin: string | undefined,
): Promise<LabStatus> {
  const dir = labDir(stateDir, name);
  const rec = readVagrantLab(dir);
  if (!rec) return { name, backend: 'vagrant', state: 'absent', reason: `there is no lab called "${name}"` };
  const f = vagrantLabFiles(dir);
  const kubeconfig = fs.existsSync(f.kubeconfig) ? f.kubeconfig : undefined;
  const base: LabStatus = {
    name,
    backend: 'vagrant',
    state: 'stopped',
    labId: rec.labId,
    createdAt: rec.createdAt,
    nodes: rec.vms.length,
    kubernetesVersion: rec.kubernetesVersion,
    kubeconfig,
    server: kubeconfig ? kubeconfigServer(kubeconfig) : undefined,
    dir,
    log: fs.existsSync(f.upLog) ? f.upLog : undefined,
  };
  const recreate = {
    what: 'delete it and make it again',
    command: `${labCommand('down', name)} && ${labCommand('up', name, '--backend vagrant')}`,
  };
  if (!vagrantBin)
    return {
      ...base,
      state: 'unresponsive',
      reason: 'vagrant is not on PATH, so its VMs cannot be asked',
      hints: [{ what: 'see what is missing', command: 'clusterlab info' }],
    };
  let states: Map<string, string>;
  try {
    states = machineStates(await runVagrant(['status'], { bin: vagrantBin, cwd: dir, env }));
  } catch (err) {
    return {
      ...base,
      state: 'unresponsive',
      reason: `vagrant status failed: ${(err as Error).message.split('\n').slice(0, 3).join(' ')}`,
      hints: [{ what: 'ask Vagrant yourself', command: `cd ${dir} && vagrant status` }],
    };
  }
  const list = rec.vms.map((vm) => `${vm}: ${states.get(vm) ?? 'unknown'}`).join(', ');
  const running = rec.vms.filter((vm) => states.get(vm) === 'running');
  const notCreated = rec.vms.filter((vm) => ['not_created', undefined].includes(states.get(vm)));
  if (notCreated.length === rec.vms.length)
    return {
      ...base,
      state: 'crashed',
      reason:
        rec.phase === 'creating'
          ? 'its creation failed or was interrupted, and it has no VMs'
          : `its VMs are gone (destroyed outside clusterlab, e.g. by vagrant destroy or virsh undefine)`,
      hints: [recreate],
    };
  if (running.length < rec.vms.length)
    return {
      ...base,
      state: notCreated.length > 0 ? 'crashed' : 'stopped',
      reason: `${rec.vms.length - running.length} of ${rec.vms.length} VMs are not running (${list})`,
      hints: [
        notCreated.length > 0 ? recreate : { what: 'start them again', command: labCommand('up', name) },
      ],
    };
  if (rec.phase === 'creating')
    return {
      ...base,
      state: 'unresponsive',
      reason: 'its creation did not finish (kept with --retain)',
      hints: [recreate],
    };
  if (rec.profile === 'kubeadm' && !(kubeconfig && (await apiAnswers(kubeconfig))))
    return {
      ...base,
      state: 'unresponsive',
      reason: 'its VMs run but the Kubernetes API server does not answer',
      hints: [
        {
          what: "see the control plane's kubelet",
          command: `cd ${dir} && vagrant ssh ${rec.vms[0]} -c 'sudo journalctl -u kubelet --no-pager -n 50'`,
        },
        recreate,
      ],
    };
  return { ...base, state: 'running' };
}

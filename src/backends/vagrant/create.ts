import * as fs from 'node:fs';
import { labCommand } from '../../state/names.js';
import { claimLabDir, runCreateSteps } from '../create-steps.js';
import { kubeconfigServer } from '../kind/status.js';
import type { LabSpec, Progress, UpResult } from '../types.js';
import type { CreateContext, CreateStep, VagrantEnv } from './context.js';
import { CREATE_STEPS } from './create-steps.js';
import { destroyVagrantLab } from './destroy.js';
import { vagrantLabFiles } from './names.js';
import type { VagrantSettings } from './params.js';
import type { VagrantHostFacts } from './preflight.js';

export interface CreateRequest {
  spec: LabSpec;
  settings: VagrantSettings;
  facts: VagrantHostFacts;
  progress: Progress;
  signal: AbortSignal;
  retain: boolean;
  vagrantBin: string;
}

/**
 * Make a new Vagrant lab by running CREATE_STEPS in order. On failure or Ctrl-C the VMs, their
 * disks and networks are destroyed and the lab directory removed, unless --retain keeps them
 * to look at.
 */
export async function createVagrantLab(
  req: CreateRequest,
  env: VagrantEnv,
  steps: CreateStep[] = CREATE_STEPS,
): Promise<UpResult> {
  const dir = claimLabDir(env.stateDir, req.spec.name);
  const c: CreateContext = { ...env, ...req, dir, files: vagrantLabFiles(dir), vagrantRan: false };
  await runCreateSteps(c, steps, undo);
  const kubeconfig = fs.existsSync(c.files.kubeconfig) ? c.files.kubeconfig : '';
  return {
    name: req.spec.name,
    backend: 'vagrant',
    outcome: 'created',
    kubeconfig,
    server: kubeconfig ? (kubeconfigServer(kubeconfig) ?? '') : '',
    nodes: c.record?.vms.length ?? 0,
    kubernetesVersion: c.record?.kubernetesVersion ?? '',
  };
}

async function undo(c: CreateContext): Promise<string> {
  const name = c.spec.name;
  if (c.retain)
    return (
      `the half-made lab was kept (--retain): look at it with cd ${c.dir} && vagrant status` +
      `, and remove it with ${labCommand('down', name)}`
    );
  c.progress.start(`Destroying the half-made lab "${name}"`);
  let problem: string | undefined;
  if (c.vagrantRan) {
    try {
      await destroyVagrantLab({
        lab: name,
        dir: c.dir,
        vms: c.record?.vms ?? [],
        vagrantBin: c.vagrantBin,
        env: c.env,
        log: c.log,
      });
    } catch (e) {
      problem = (e as Error).message;
    }
  }
  if (!problem) fs.rmSync(c.dir, { recursive: true, force: true });
  c.progress.end(!problem);
  return problem
    ? `destroying the half-made lab failed (${problem}); its files are kept in ${c.dir}: run cd ${c.dir} && vagrant destroy -f`
    : 'the half-made lab was destroyed';
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { InterruptedError, UserError } from '../../errors.js';
import { labCommand } from '../../state/names.js';
import { labDir, labsDir } from '../../state/paths.js';
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
  const dir = labDir(env.stateDir, req.spec.name);
  if (path.dirname(dir) !== labsDir(env.stateDir)) throw new Error(`refusing lab path ${dir}`);
  claimDir(dir, req.spec.name);
  const c: CreateContext = { ...env, ...req, dir, files: vagrantLabFiles(dir), vagrantRan: false };
  try {
    for (const step of steps) {
      if (step.when && !step.when(c)) continue;
      c.signal.throwIfAborted();
      if (step.ownPhases) await step.run(c);
      else {
        c.progress.start(step.title);
        try {
          const note = await step.run(c);
          c.progress.end(true, note || undefined);
        } catch (err) {
          c.progress.end(false);
          throw err;
        }
      }
      c.progress.percent(step.doneAt);
    }
  } catch (err) {
    const cleanup = await undo(c);
    if (c.signal.aborted)
      throw new InterruptedError(`creating lab "${req.spec.name}" was interrupted; ${cleanup}`);
    throw withNote(err, cleanup);
  }
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

function claimDir(dir: string, name: string): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
  if (fs.existsSync(path.join(dir, 'lab.json')))
    throw new UserError(`lab "${name}" already exists`, { fix: labCommand('status', name) });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { mode: 0o700 });
}

function withNote(err: unknown, note: string): unknown {
  const sentence = note.charAt(0).toUpperCase() + note.slice(1);
  if (err instanceof UserError)
    return new UserError(`${err.message}\n${sentence}.`, {
      cause: err.cause ?? err,
      fix: err.fix,
      exitCode: err.exitCode,
    });
  return new UserError(`${(err as Error).message}\n${sentence}.`, { cause: err });
}

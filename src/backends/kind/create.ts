import * as fs from 'node:fs';
import { labCommand } from '../../state/names.js';
import { claimLabDir, runCreateSteps } from '../create-steps.js';
import type { LabSpec, Progress, UpResult } from '../types.js';
import type { CreateContext, CreateStep, KindEnv } from './context.js';
import { CREATE_STEPS } from './create-steps.js';
import { runKind } from './kind-cli.js';
import { clusterName } from './names.js';
import { kindLabFiles } from './record.js';
import { kubeconfigServer } from './status.js';

export interface CreateRequest {
  spec: LabSpec;
  progress: Progress;
  signal: AbortSignal;
  retain: boolean;
  kindBin: string;
  kubectlBin?: string;
}

/**
 * Make a new kind lab by running CREATE_STEPS in order. On failure or Ctrl-C, what was made is
 * deleted (the kind cluster, the lab directory) unless --retain, which keeps both to look at.
 */
export async function createKindLab(
  req: CreateRequest,
  env: KindEnv,
  steps: CreateStep[] = CREATE_STEPS,
): Promise<UpResult> {
  const dir = claimLabDir(env.stateDir, req.spec.name);
  const c: CreateContext = {
    ...env,
    ...req,
    dir,
    files: kindLabFiles(dir),
    kindRan: false,
    usesImageCache: false,
  };
  await runCreateSteps(c, steps, undo);
  return {
    name: req.spec.name,
    backend: 'kind',
    outcome: 'created',
    kubeconfig: c.files.kubeconfig,
    server: kubeconfigServer(c.files.kubeconfig) ?? '',
    nodes: req.spec.controlPlanes + req.spec.workers,
    kubernetesVersion: req.spec.kubernetesVersion,
  };
}

/** Delete the half-made lab (or keep it with --retain); says what happened, for the error. */
async function undo(c: CreateContext): Promise<string> {
  const name = c.spec.name;
  if (c.retain)
    return (
      `the half-made lab was kept (--retain): look at it with docker ps --filter label=io.x-k8s.kind.cluster=${clusterName(name)}` +
      `, and remove it with ${labCommand('down', name)}`
    );
  const problems: string[] = [];
  c.progress.start(`Deleting the half-made lab "${name}"`);
  if (c.kindRan) {
    try {
      await runKind(['delete', 'cluster', '--name', clusterName(name), '--kubeconfig', c.files.kubeconfig], {
        bin: c.kindBin,
        env: c.env,
      });
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  fs.rmSync(c.dir, { recursive: true, force: true });
  c.progress.end(problems.length === 0);
  return problems.length === 0
    ? 'the half-made lab was deleted'
    : `deleting the half-made lab failed (${problems.join('; ')}); run kind delete cluster --name ${clusterName(name)}`;
}

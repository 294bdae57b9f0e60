import { UserError } from '../../errors.js';
import { labCommand } from '../../state/names.js';
import { labDir } from '../../state/paths.js';
import type { Progress, UpResult } from '../types.js';
import type { KindEnv } from './context.js';
import { kindLabFiles, readKindLab } from './record.js';
import { apiAnswers, kubeconfigServer, nodeContainers } from './status.js';
import { waitForCrioNodes } from './verify.js';

/**
 * `up` of a kind lab that exists: nothing to do when it runs; its stopped node containers are
 * started again (after a Docker or machine restart) and it is back when every node is Ready.
 */
export async function resumeKindLab(
  name: string,
  progress: Progress,
  signal: AbortSignal,
  env: KindEnv,
): Promise<UpResult> {
  const dir = labDir(env.stateDir, name);
  const rec = readKindLab(dir);
  if (!rec)
    throw new UserError(`there is no kind lab called "${name}"`, {
      fix: labCommand('up', name, '--backend kind'),
    });
  const f = kindLabFiles(dir);
  const recreate = `${labCommand('down', name)} && ${labCommand('up', name, '--backend kind')}`;
  if (rec.phase === 'creating')
    throw new UserError(`lab "${name}" is a failed creation kept with --retain; it cannot be started`, {
      fix: recreate,
    });
  const containers = await nodeContainers(env.docker, rec.cluster);
  if (containers.length === 0)
    throw new UserError(`the node containers of lab "${name}" are gone (deleted outside clusterlab)`, {
      fix: recreate,
    });
  const result = (outcome: UpResult['outcome']): UpResult => ({
    name,
    backend: 'kind',
    outcome,
    kubeconfig: f.kubeconfig,
    server: kubeconfigServer(f.kubeconfig) ?? '',
    nodes: rec.controlPlanes + rec.workers,
    kubernetesVersion: rec.kubernetesVersion,
  });
  const stopped = containers.filter((c) => !c.running);
  if (stopped.length === 0 && (await apiAnswers(f.kubeconfig))) return result('already-running');
  progress.start(`Starting ${stopped.length} node container${stopped.length === 1 ? '' : 's'}`);
  try {
    // The control plane first, as kind starts them: the workers' kubelets look for it.
    for (const c of stopped) await env.docker.getContainer(c.id).start();
    progress.end(true);
  } catch (err) {
    progress.end(false);
    throw new UserError(`could not start the nodes of lab "${name}": ${(err as Error).message}`, {
      fix: recreate,
      cause: err,
    });
  }
  progress.percent(30);
  progress.start('Waiting for the nodes to be Ready');
  try {
    await waitForCrioNodes(
      f.kubeconfig,
      {
        expected: rec.controlPlanes + rec.workers,
        image: rec.nodeImage ?? '',
        timeoutMs: env.readyTimeoutMs,
        signal,
      },
      () => undefined,
    );
    progress.end(true);
  } catch (err) {
    progress.end(false);
    throw err;
  }
  progress.percent(100);
  return result('restarted');
}

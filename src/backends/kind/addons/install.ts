import { execa } from 'execa';
import { UserError } from '../../../errors.js';
import { KubeClient } from '../../../kube/client.js';
import type { Progress } from '../../types.js';
import { type Addon, type AddonStep, addonCatalog } from './catalog.js';
import type { AddonId } from './names.js';

export interface AddonRun {
  kubeconfig: string;
  /** The kubectl to run (from PATH). */
  kubectl: string;
  env: NodeJS.ProcessEnv;
  progress: Progress;
  signal: AbortSignal;
  root?: string;
}

/** Install the lab's addons in order, one phase per step; a failed step says what kubectl printed. */
export async function installAddons(ids: readonly AddonId[], o: AddonRun): Promise<void> {
  const catalog = addonCatalog(o.root);
  for (const id of ids) {
    const addon = catalog[id];
    for (const step of addon.steps) {
      o.signal.throwIfAborted();
      o.progress.start(`Addon ${addon.id}: ${step.what}`);
      try {
        await runStep(addon, step, o);
        o.progress.end(true);
      } catch (err) {
        o.progress.end(false);
        throw err;
      }
    }
  }
}

async function runStep(addon: Addon, step: AddonStep, o: AddonRun): Promise<void> {
  switch (step.kind) {
    case 'defaultStorageClass':
      return checkDefaultStorageClass(step.name, o.kubeconfig);
    case 'apply':
      // Server-side: Knative's CRDs are too big for the last-applied annotation.
      return kubectl(addon, ['apply', '--server-side', '--force-conflicts', '-f', step.source], o);
    case 'mergePatch':
      return kubectl(
        addon,
        ['-n', step.namespace, 'patch', step.resource, '--type', 'merge', '-p', JSON.stringify(step.patch)],
        o,
      );
    case 'waitAvailable':
      return kubectl(
        addon,
        [
          '-n',
          step.namespace,
          'wait',
          '--for=condition=Available',
          'deployment',
          '--all',
          `--timeout=${step.timeoutSeconds}s`,
        ],
        o,
      );
  }
}

async function kubectl(addon: Addon, args: string[], o: AddonRun): Promise<void> {
  const argv = ['--kubeconfig', o.kubeconfig, ...args];
  const r = await execa(o.kubectl, argv, {
    env: o.env,
    extendEnv: false,
    all: true,
    reject: false,
    stdin: 'ignore',
    cancelSignal: o.signal,
  });
  if (o.signal.aborted) throw o.signal.reason;
  if (r.exitCode !== 0) {
    const out = String(r.all ?? '')
      .trim()
      .split('\n')
      .slice(-15)
      .map((l) => `  ${l}`)
      .join('\n');
    throw new UserError(
      `installing the ${addon.id} addon failed: kubectl ${args.join(' ')} exited with code ${r.exitCode}${out ? `:\n${out}` : ''}`,
      { fix: `kubectl ${argv.map(quote).join(' ')}  (to try that step again)` },
    );
  }
}

async function checkDefaultStorageClass(name: string, kubeconfig: string): Promise<void> {
  const client = KubeClient.fromFile(kubeconfig);
  try {
    const sc = await client
      .getJson<{ metadata?: { annotations?: Record<string, string> }; provisioner?: string }>(
        `/apis/storage.k8s.io/v1/storageclasses/${name}`,
      )
      .catch((e: Error) => {
        throw new UserError(`the lab has no StorageClass "${name}" (kind installs it): ${e.message}`, {
          fix: `kubectl --kubeconfig ${kubeconfig} get storageclass`,
        });
      });
    if (sc.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] !== 'true')
      throw new UserError(`StorageClass "${name}" is not marked as the default`, {
        fix: `kubectl --kubeconfig ${kubeconfig} annotate storageclass ${name} storageclass.kubernetes.io/is-default-class=true --overwrite`,
      });
  } finally {
    client.close();
  }
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

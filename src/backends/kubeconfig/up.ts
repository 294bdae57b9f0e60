import * as fs from 'node:fs';
import * as path from 'node:path';
import { InterruptedError, UserError } from '../../errors.js';
import { KubeClient } from '../../kube/client.js';
import { labDir, labsDir } from '../../state/paths.js';
import { learnerName } from '../../state/scenario-paths.js';
import type { LabSpec, Logger, Progress, UpOptions, UpResult } from '../types.js';
import { missingPermissions } from './access.js';
import { probeCapabilities } from './capabilities.js';
import { requireAnswer, sourceClient } from './connect.js';
import { labNamespace } from './names.js';
import { deleteLabNamespace, ensureLabNamespace, getNamespace } from './namespace.js';
import {
  type KubeconfigLabRecord,
  kubeconfigLabFiles,
  readKubeconfigLab,
  writeKubeconfigLab,
} from './record.js';
import { readSourceContext, writeLabKubeconfig } from './source.js';

export interface KubeconfigEnv {
  stateDir: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** How long the probe and node-shell pods get to start (an image pull on a real cluster). */
  podStartTimeoutMs: number;
}

/** Run `fn` as one reported phase. */
async function phase<T>(
  progress: Progress,
  title: string,
  fn: () => Promise<T>,
  note?: (v: T) => string | undefined,
) {
  progress.start(title);
  try {
    const v = await fn();
    progress.end(true, note?.(v));
    return v;
  } catch (e) {
    progress.end(false);
    throw e;
  }
}

/**
 * A lab on an existing cluster is a namespace of the learner's own there, with a kubeconfig
 * whose context points into it; nothing else on the cluster is created or changed.
 */
export async function upKubeconfigLab(
  spec: LabSpec,
  progress: Progress,
  signal: AbortSignal,
  options: UpOptions,
  e: KubeconfigEnv,
): Promise<UpResult> {
  const dir = labDir(e.stateDir, spec.name);
  if (path.dirname(dir) !== labsDir(e.stateDir)) throw new Error(`refusing lab path ${dir}`);
  const existing = readKubeconfigLab(dir);
  if (existing) return resume(spec.name, dir, existing, progress);
  const learner = learnerName(e.env);
  const namespace = labNamespace(learner, spec.name);
  const files = kubeconfigLabFiles(dir);
  let made: 'created' | 'existed' | undefined;
  let client: KubeClient | undefined;
  try {
    const source = await phase(
      progress,
      'Reading your kubeconfig',
      async () => readSourceContext(e.env, options.context),
      (s) => `context "${s.context}"`,
    );
    client = sourceClient(source);
    const version = await phase(
      progress,
      `Checking that ${source.server} answers`,
      () => requireAnswer(client!, source),
      (v) => `Kubernetes ${v}`,
    );
    progress.percent(20);
    const lacking = await missingPermissions(client, namespace);
    const blocking = lacking.filter((p) => p.needed === 'lab' || p.needed === 'scenarios');
    if (blocking.length > 0)
      throw new UserError(
        `your account on context "${source.context}" may not ${blocking.map((p) => `${p.verb} ${p.resource}`).join(', ')}`,
        {
          fix: `kubectl --context ${source.context} auth can-i --list  (and ask the cluster's admin for those rights)`,
        },
      );
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    made = await phase(
      progress,
      `Creating namespace ${namespace}`,
      () => ensureLabNamespace(client!, namespace, spec.name, learner),
      (m) => (m === 'existed' ? 'it was there from before' : undefined),
    );
    progress.percent(40);
    writeLabKubeconfig(files.kubeconfig, spec.name, source, namespace);
    const probe = await phase(
      progress,
      'Finding out what the cluster allows (pod exec, node commands)',
      () => probeCapabilities(client!, namespace, lacking, e.podStartTimeoutMs, signal),
      (p) => (p.capabilities.length > 0 ? p.capabilities.join(', ') : 'API only'),
    );
    for (const [cap, why] of Object.entries(probe.missing)) e.log.info(`  ${cap} is not available: ${why}`);
    const rec: KubeconfigLabRecord = {
      backend: 'kubeconfig',
      createdAt: new Date().toISOString(),
      labId: spec.labId,
      sourceContext: source.context,
      sourceFiles: source.files,
      server: source.server,
      namespace,
      learner,
      capabilities: probe.capabilities,
      missing: probe.missing,
    };
    writeKubeconfigLab(dir, rec);
    progress.percent(100);
    const nodes = await countNodes(client);
    const expected = spec.controlPlanes + spec.workers;
    // The cluster is what it is; say so when it is smaller than what the lab was written for.
    if (nodes > 0 && nodes < expected)
      e.log.warn(
        `the cluster has ${nodes} node${nodes === 1 ? '' : 's'} and lab "${spec.labId}" expects ${expected}; steps that need more nodes may not pass`,
      );
    return {
      name: spec.name,
      backend: 'kubeconfig',
      outcome: 'created',
      kubeconfig: files.kubeconfig,
      server: source.server,
      nodes,
      kubernetesVersion: version,
    };
  } catch (err) {
    if (!options.retain) {
      if (made === 'created' && client)
        await deleteLabNamespace(client, namespace, spec.name).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (signal.aborted)
      throw new InterruptedError(`starting lab "${spec.name}" was interrupted; its namespace was removed`);
    throw err;
  } finally {
    client?.close();
  }
}

async function resume(
  name: string,
  dir: string,
  rec: KubeconfigLabRecord,
  progress: Progress,
): Promise<UpResult> {
  const files = kubeconfigLabFiles(dir);
  const client = KubeClient.fromFile(files.kubeconfig);
  try {
    const r = await client.request('GET', '/version', { timeoutMs: 10_000 }).catch((e: Error) => {
      throw new UserError(`the cluster of lab "${name}" (${rec.server}) does not answer: ${e.message}`, {
        fix: `kubectl --kubeconfig ${files.kubeconfig} cluster-info`,
      });
    });
    const version = (JSON.parse(r.body) as { gitVersion?: string }).gitVersion ?? '';
    let outcome: UpResult['outcome'] = 'already-running';
    if (!(await getNamespace(client, rec.namespace))) {
      await phase(progress, `Creating namespace ${rec.namespace} again`, () =>
        ensureLabNamespace(client, rec.namespace, name, rec.learner),
      );
      outcome = 'restarted';
    }
    return {
      name,
      backend: 'kubeconfig',
      outcome,
      kubeconfig: files.kubeconfig,
      server: rec.server,
      nodes: await countNodes(client),
      kubernetesVersion: version,
    };
  } finally {
    client.close();
  }
}

/** How many nodes the cluster has, when the account may see them (0 otherwise). */
export async function countNodes(client: KubeClient): Promise<number> {
  try {
    return (await client.getJson<{ items: unknown[] }>('/api/v1/nodes')).items.length;
  } catch {
    return 0;
  }
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../errors.js';
import { KubeClient } from '../../kube/client.js';
import { labCommand } from '../../state/names.js';
import { labDir, labsDir } from '../../state/paths.js';
import { learnerName } from '../../state/scenario-paths.js';
import { findOnPath, kubectlInstallCommand } from '../host-tools.js';
import type { BackendContext, ClusterBackend, LabStatus, PreflightIssue } from '../types.js';
import { describePermission, missingPermissions } from './access.js';
import { requireAnswer, sourceClient } from './connect.js';
import { labNamespace } from './names.js';
import { deleteLabNamespace, getNamespace } from './namespace.js';
import { clusterNodes } from './nodes.js';
import { kubeconfigLabFiles, readKubeconfigLab } from './record.js';
import { deleteScenarioNamespaces, resolveScenarioNamespaces } from './scenario-namespaces.js';
import { readSourceContext } from './source.js';
import { countNodes, upKubeconfigLab } from './up.js';

/** The `kubeconfig` backend: a namespace of the learner's own on a cluster they already use. */
export function createKubeconfigBackend(ctx: BackendContext): ClusterBackend {
  const envTimeout = Number(ctx.env.CLUSTERLAB_POD_START_TIMEOUT);
  const env = { ...ctx, podStartTimeoutMs: envTimeout > 0 ? envTimeout * 1000 : 90_000 };
  const requireLab = (name: string) => {
    const dir = labDir(ctx.stateDir, name);
    const rec = readKubeconfigLab(dir);
    if (!rec)
      throw new UserError(`there is no lab called "${name}"`, {
        fix: labCommand('up', name, '--backend kubeconfig'),
      });
    return { dir, rec, files: kubeconfigLabFiles(dir) };
  };

  return {
    name: 'kubeconfig',

    async preflight(spec, options) {
      const issues: PreflightIssue[] = [];
      if (!findOnPath('kubectl', ctx.env))
        issues.push({
          problem: 'kubectl is not installed; scenarios are solved with it',
          fix: kubectlInstallCommand(),
          blocking: false,
        });
      if (spec && readKubeconfigLab(labDir(ctx.stateDir, spec.name))) return issues;
      let client: KubeClient | undefined;
      try {
        const source = readSourceContext(ctx.env, options?.context);
        client = sourceClient(source);
        await requireAnswer(client, source);
        const namespace = labNamespace(learnerName(ctx.env), spec?.name ?? 'lab');
        for (const p of await missingPermissions(client, namespace)) {
          const blocking = p.needed === 'lab' || p.needed === 'scenarios';
          issues.push({
            problem: `your account may not ${describePermission(p, namespace)}${blocking ? '' : `, so ${p.needed} steps of scenarios are skipped`}`,
            fix: `kubectl --context ${source.context} auth can-i ${p.verb} ${p.resource}${p.subresource ? `/${p.subresource}` : ''}  (ask the cluster's admin for it)`,
            blocking,
          });
        }
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        issues.push({ problem: e.message, fix: e.fix ?? 'kubectl config get-contexts', blocking: true });
      } finally {
        client?.close();
      }
      return issues;
    },

    up: (spec, progress, signal, options) => upKubeconfigLab(spec, progress, signal, options ?? {}, env),

    async down(name, progress) {
      const dir = labDir(ctx.stateDir, name);
      if (path.dirname(dir) !== labsDir(ctx.stateDir)) throw new Error(`refusing lab path ${dir}`);
      if (!fs.existsSync(dir)) return { name, removed: false };
      const rec = readKubeconfigLab(dir);
      if (rec) {
        const scenarios = rec.scenarioNamespaces ?? [];
        progress?.start(
          `Deleting namespace ${rec.namespace}${scenarios.length ? ` and its scenarios' (${scenarios.join(', ')})` : ''} (and everything in them)`,
        );
        const client = KubeClient.fromFile(kubeconfigLabFiles(dir).kubeconfig);
        try {
          await deleteScenarioNamespaces(client, scenarios, name);
          await deleteLabNamespace(client, rec.namespace, name);
          progress?.end(true);
        } catch (e) {
          progress?.end(false);
          throw e instanceof UserError
            ? e
            : new UserError(
                `could not delete namespace ${rec.namespace} of lab "${name}": ${(e as Error).message}`,
                {
                  fix: `kubectl --kubeconfig ${kubeconfigLabFiles(dir).kubeconfig} delete namespace ${rec.namespace}`,
                },
              );
        } finally {
          client.close();
        }
      }
      progress?.start('Removing the lab files');
      fs.rmSync(dir, { recursive: true, force: true });
      progress?.end(true);
      return { name, removed: true };
    },

    async status(name): Promise<LabStatus> {
      const dir = labDir(ctx.stateDir, name);
      const rec = readKubeconfigLab(dir);
      if (!rec)
        return { name, backend: 'kubeconfig', state: 'absent', reason: `there is no lab called "${name}"` };
      const files = kubeconfigLabFiles(dir);
      const base: LabStatus = {
        name,
        backend: 'kubeconfig',
        state: 'running',
        labId: rec.labId,
        createdAt: rec.createdAt,
        server: rec.server,
        kubeconfig: files.kubeconfig,
        dir,
      };
      const client = KubeClient.fromFile(files.kubeconfig);
      try {
        const r = await client.request('GET', '/version', { timeoutMs: 5_000 }).catch((e: Error) => e);
        if (r instanceof Error || r.status >= 300)
          return {
            ...base,
            state: 'unresponsive',
            reason: `the cluster (${rec.server}) does not answer: ${r instanceof Error ? r.message : `status ${r.status}`}`,
            hints: [
              { what: 'ask kubectl', command: `kubectl --kubeconfig ${files.kubeconfig} cluster-info` },
            ],
          };
        const version = (JSON.parse(r.body) as { gitVersion?: string }).gitVersion;
        const ns = await getNamespace(client, rec.namespace);
        const withCluster = { ...base, kubernetesVersion: version, nodes: await countNodes(client) };
        if (!ns)
          return {
            ...withCluster,
            state: 'crashed',
            reason: `its namespace ${rec.namespace} was deleted outside clusterlab`,
            hints: [{ what: 'make it again', command: labCommand('up', name) }],
          };
        return withCluster;
      } finally {
        client.close();
      }
    },

    async kubeconfig(name) {
      return requireLab(name).files.kubeconfig;
    },

    async nodes(name) {
      const { rec, files } = requireLab(name);
      const nodeExec = rec.capabilities.includes('nodeExec')
        ? ({ available: true } as const)
        : ({ available: false, why: rec.missing.nodeExec ?? 'not probed' } as const);
      return clusterNodes(files.kubeconfig, rec.namespace, nodeExec, env.podStartTimeoutMs);
    },

    async capabilities(name) {
      return readKubeconfigLab(labDir(ctx.stateDir, name))?.capabilities ?? [];
    },

    async scenarioNamespaces(name, namespaces) {
      const { dir, rec } = requireLab(name);
      return resolveScenarioNamespaces(dir, rec, namespaces);
    },
  };
}

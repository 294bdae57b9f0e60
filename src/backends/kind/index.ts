import * as fs from 'node:fs';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { UserError } from '../../errors.js';
import { packageRoot } from '../../state/install.js';
import { labCommand } from '../../state/names.js';
import { labDir, labsDir } from '../../state/paths.js';
import { dockerClient } from '../docker/client.js';
import { findOnPath, kubectlInstallCommand } from '../host-tools.js';
import type { BackendContext, ClusterBackend, LabCapability, PreflightIssue } from '../types.js';
import { addonCatalog } from './addons/catalog.js';
import { isAddonId } from './addons/names.js';
import { DEFAULT_INGRESS_PORT } from './config.js';
import type { KindEnv } from './context.js';
import { createKindLab } from './create.js';
import { gatherKindHostFacts } from './host-facts.js';
import { runKind } from './kind-cli.js';
import { clusterName } from './names.js';
import { kindNodes } from './nodes.js';
import { kindInstallCommand, kindPreflightIssues } from './preflight.js';
import { kindLabFiles, readKindLab } from './record.js';
import { resumeKindLab } from './resume.js';
import { kindStatus } from './status.js';

export interface KindBackendOptions {
  docker?: Docker;
  root?: string;
  readyTimeoutMs?: number;
}

/** The `kind` backend: a kind cluster whose nodes run CRI-O, its record under `<state>/labs/<name>/`. */
export function createKindBackend(ctx: BackendContext, opts: KindBackendOptions = {}): ClusterBackend {
  const envTimeout = Number(ctx.env.CLUSTERLAB_KIND_READY_TIMEOUT);
  const env: KindEnv = {
    ...ctx,
    docker: opts.docker ?? dockerClient(ctx.env),
    root: opts.root ?? packageRoot(),
    readyTimeoutMs: opts.readyTimeoutMs ?? (envTimeout > 0 ? envTimeout * 1000 : 300_000),
    ingress: DEFAULT_INGRESS_PORT,
  };
  const kindBin = () => findOnPath('kind', ctx.env);
  const requireLab = (name: string) => {
    const dir = labDir(ctx.stateDir, name);
    const rec = readKindLab(dir);
    if (!rec)
      throw new UserError(`there is no lab called "${name}"`, {
        fix: labCommand('up', name, '--backend kind'),
      });
    return { dir, rec, files: kindLabFiles(dir) };
  };

  return {
    name: 'kind',

    async preflight(spec) {
      const nodes = spec ? spec.controlPlanes + spec.workers : 3;
      const issues: PreflightIssue[] = kindPreflightIssues(
        await gatherKindHostFacts(env.docker, ctx.env, nodes, ctx.stateDir),
      );
      const needsKubectl = (spec?.addons ?? []).some(
        (a) => isAddonId(a) && addonCatalog(env.root)[a].needsKubectl,
      );
      if (!findOnPath('kubectl', ctx.env))
        issues.push({
          problem: needsKubectl
            ? "kubectl is not installed, and this lab's addons are installed with it"
            : 'kubectl is not installed; the lab works without it, but you will want it',
          fix: kubectlInstallCommand(),
          blocking: needsKubectl,
        });
      return issues;
    },

    async up(spec, progress, signal, options) {
      if (readKindLab(labDir(ctx.stateDir, spec.name)))
        return resumeKindLab(spec.name, progress, signal, env);
      const bin = kindBin();
      if (!bin)
        throw new UserError('kind is not installed', {
          fix: kindInstallCommand(process.platform, process.arch),
        });
      return createKindLab(
        {
          spec,
          progress,
          signal,
          retain: options?.retain === true,
          kindBin: bin,
          kubectlBin: findOnPath('kubectl', ctx.env),
        },
        env,
      );
    },

    async down(name, progress) {
      const dir = labDir(ctx.stateDir, name);
      if (path.dirname(dir) !== labsDir(ctx.stateDir)) throw new Error(`refusing lab path ${dir}`);
      if (!fs.existsSync(dir)) return { name, removed: false };
      const rec = readKindLab(dir);
      if (rec) {
        const bin = kindBin();
        if (!bin)
          throw new UserError(
            `kind is needed to delete the cluster of lab "${name}", and it is not on PATH`,
            {
              fix: `docker rm -f $(docker ps -aq --filter label=io.x-k8s.kind.cluster=${rec.cluster}) && ${labCommand('down', name)}`,
            },
          );
        progress?.start(`Deleting kind cluster "${rec.cluster}"`);
        try {
          await runKind(
            ['delete', 'cluster', '--name', clusterName(name), '--kubeconfig', kindLabFiles(dir).kubeconfig],
            {
              bin,
              env: ctx.env,
              onLine: (l) => ctx.log.debug(`kind: ${l}`),
            },
          );
          progress?.end(true);
        } catch (err) {
          progress?.end(false);
          throw err;
        }
      }
      progress?.start('Removing the lab files');
      fs.rmSync(dir, { recursive: true, force: true });
      progress?.end(true);
      return { name, removed: true };
    },

    status: (name) => kindStatus(ctx.stateDir, name, env.docker),

    async kubeconfig(name) {
      const { files } = requireLab(name);
      if (!fs.existsSync(files.kubeconfig))
        throw new UserError(`lab "${name}" has no kubeconfig (its creation did not get that far)`, {
          fix: `${labCommand('down', name)} && ${labCommand('up', name, '--backend kind')}`,
        });
      return files.kubeconfig;
    },

    async nodes(name) {
      const { rec } = requireLab(name);
      return kindNodes(env.docker, rec.cluster);
    },

    async capabilities(): Promise<LabCapability[]> {
      return ['nodeExec', 'podExec'];
    },
  };
}

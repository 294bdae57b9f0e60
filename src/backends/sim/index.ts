import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../errors.js';
import { labFiles } from '../../sim/files.js';
import { installPaths } from '../../state/install.js';
import { labCommand } from '../../state/names.js';
import { labDir, labsDir } from '../../state/paths.js';
import { findOnPath, kubectlInstallCommand } from '../host-tools.js';
import type { BackendContext, ClusterBackend, PreflightIssue } from '../types.js';
import { simNodeHandles } from './nodes.js';
import { isSimProcess, readPid, stopProcess } from './process.js';
import { readSimLab } from './record.js';
import { simStatus } from './status.js';
import { upSim } from './up.js';

export interface SimBackendOptions {
  /** The sim's process entry; `dist/sim/main.js` of this install by default. */
  simMain?: string;
  startTimeoutMs?: number;
  stopGraceMs?: number;
}

const MIN_NODE_MAJOR = 22;

/** The `sim` backend: one detached sim process per lab, its files under `<state>/labs/<name>/`. */
export function createSimBackend(ctx: BackendContext, opts: SimBackendOptions = {}): ClusterBackend {
  const simMain = opts.simMain ?? installPaths().simMain;
  const envTimeout = Number(ctx.env.CLUSTERLAB_START_TIMEOUT);
  const startTimeoutMs = opts.startTimeoutMs ?? (envTimeout > 0 ? envTimeout * 1000 : 30_000);
  const stopGraceMs = opts.stopGraceMs ?? 10_000;

  const requireLab = (name: string) => {
    const dir = labDir(ctx.stateDir, name);
    // Names are validated before they get here; this guards the recursive delete below.
    if (path.dirname(dir) !== labsDir(ctx.stateDir)) throw new Error(`refusing lab path ${dir}`);
    const rec = readSimLab(dir);
    if (!rec) throw new UserError(`there is no lab called "${name}"`, { fix: labCommand('up', name) });
    return { dir, rec, files: labFiles(dir) };
  };

  return {
    name: 'sim',

    async preflight() {
      const issues: PreflightIssue[] = [];
      if (Number(process.versions.node.split('.')[0]) < MIN_NODE_MAJOR)
        issues.push({
          problem: `the sim needs Node.js ${MIN_NODE_MAJOR} or newer; this is ${process.version}`,
          fix: 'npm install (it brings the project its own Node 24)',
          blocking: true,
        });
      if (!fs.existsSync(simMain))
        issues.push({
          problem: `the sim is not built (${simMain} is missing)`,
          fix: 'npm run build',
          blocking: true,
        });
      if (!findOnPath('kubectl', ctx.env))
        issues.push({
          problem: 'kubectl is not installed; the lab works without it, but you will want it',
          fix: kubectlInstallCommand(),
          blocking: false,
        });
      return issues;
    },

    up: (spec, progress, signal) =>
      upSim(spec, progress, signal, { ...ctx, simMain, startTimeoutMs, stopGraceMs }),

    async down(name, progress) {
      const dir = labDir(ctx.stateDir, name);
      if (path.dirname(dir) !== labsDir(ctx.stateDir)) throw new Error(`refusing lab path ${dir}`);
      if (!fs.existsSync(dir)) return { name, removed: false };
      const pid = readPid(labFiles(dir).pid);
      if (pid !== undefined && isSimProcess(pid, dir)) {
        progress?.start(`Stopping the sim (pid ${pid})`);
        try {
          const how = await stopProcess(pid, { graceMs: stopGraceMs });
          progress?.end(
            true,
            how === 'killed' ? `it ignored SIGTERM for ${stopGraceMs / 1000} s; killed` : undefined,
          );
        } catch (err) {
          progress?.end(false);
          throw new UserError(
            `could not stop the sim of lab "${name}" (pid ${pid}): ${(err as Error).message}`,
            {
              fix: `kill -9 ${pid} && ${labCommand('down', name)}`,
            },
          );
        }
      }
      progress?.start('Removing the lab files');
      fs.rmSync(dir, { recursive: true, force: true });
      progress?.end(true);
      return { name, removed: true };
    },

    status: (name) => simStatus(ctx.stateDir, name),

    async kubeconfig(name) {
      const { files } = requireLab(name);
      if (!fs.existsSync(files.kubeconfig))
        throw new UserError(`lab "${name}" has not written its kubeconfig yet (its sim never started)`, {
          fix: labCommand('up', name),
        });
      return files.kubeconfig;
    },

    async nodes(name) {
      const { dir, rec } = requireLab(name);
      return simNodeHandles(dir, name, rec);
    },

    // Node shells come from the sim's node exec route; pod exec from its pods/exec.
    capabilities: async () => ['nodeExec', 'podExec'],
  };
}

import { createBackend, DEFAULT_BACKEND } from '../../backends/factory.js';
import { findOnPath } from '../../backends/host-tools.js';
import { installPaths, packageVersion } from '../../state/install.js';
import { labDirNames } from '../../state/labs.js';
import { labDir, labsDir } from '../../state/paths.js';
import type { CommandContext } from '../context.js';

export async function run(o: { json?: boolean }, _args: string[], ctx: CommandContext) {
  const install = installPaths();
  const backend = await createBackend(DEFAULT_BACKEND, ctx.labs);
  const info = {
    version: packageVersion(install.root),
    stateDir: ctx.stateDir,
    stateDirFrom: ctx.io.env.CLUSTERLAB_HOME ? 'CLUSTERLAB_HOME' : 'platform default',
    labsDir: labsDir(ctx.stateDir),
    labs: Object.fromEntries(labDirNames(ctx.stateDir).map((n) => [n, labDir(ctx.stateDir, n)])),
    install: install.root,
    labDefinitions: install.labDefinitions,
    simMain: install.simMain,
    node: process.execPath,
    nodeVersion: process.version,
    kubectl: findOnPath('kubectl', ctx.io.env) ?? null,
    invocation: ctx.invocation,
    issues: await backend.preflight(),
  };
  if (o.json) {
    ctx.io.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return 0;
  }
  const rows: Array<[string, string]> = [
    ['Version', info.version],
    ['State directory', `${info.stateDir}   (${info.stateDirFrom})`],
    ['Labs directory', info.labsDir],
    ...Object.entries(info.labs).map(([n, d]): [string, string] => [`  lab ${n}`, d]),
    ['Installed in', info.install],
    ['Lab definitions', info.labDefinitions],
    ['Sim entry', info.simMain],
    ['Node.js', `${info.node} (${info.nodeVersion})`],
    ['kubectl', info.kubectl ?? 'not found on PATH'],
    ['Run as', info.invocation],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  for (const [k, v] of rows) ctx.io.stdout.write(`${`${k}:`.padEnd(width)}${v}\n`);
  for (const issue of info.issues)
    ctx.io.stdout.write(`\n${ctx.out.yellow('!')} ${issue.problem}\n  fix: ${issue.fix}\n`);
  return 0;
}

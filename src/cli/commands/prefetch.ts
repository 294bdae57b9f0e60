import * as path from 'node:path';
import { dockerClient, dockerFacts } from '../../backends/docker/client.js';
import { CACHE_UPSTREAMS } from '../../backends/kind/cache-names.js';
import { prefetch } from '../../backends/kind/prefetch.js';
import { labDefinitionIds, loadLabDefinition } from '../../backends/lab-definition.js';
import { UserError } from '../../errors.js';
import { installPaths } from '../../state/install.js';
import type { CommandContext } from '../context.js';

export interface PrefetchOptions {
  lab?: string;
  list?: boolean;
  json?: boolean;
}

/** Fill the local image cache for kind labs, for rooms whose network will not carry 50 clusters' pulls. */
export async function run(o: PrefetchOptions, _args: string[], ctx: CommandContext): Promise<number> {
  const paths = installPaths();
  const dir = ctx.labs.definitionsDir ?? paths.labDefinitions;
  const ids = o.lab ? [o.lab] : labDefinitionIds(dir);
  const labs = ids.map((id) => loadLabDefinition(dir, id)).filter((l) => l.backend === 'kind');
  if (o.lab && labs.length === 0)
    throw new UserError(
      `lab "${o.lab}" runs on the ${loadLabDefinition(dir, o.lab).backend} backend; prefetch prepares the images of kind labs`,
      { fix: 'clusterlab prefetch --lab kind' },
    );
  if (labs.length === 0)
    throw new UserError(`there is no kind lab definition in ${dir} to prefetch for`, {
      fix: 'clusterlab prefetch --lab kind',
    });
  const docker = dockerClient(ctx.io.env);
  await dockerFacts(docker);
  const report = await prefetch({
    docker,
    labs,
    scenariosDir: path.join(paths.root, 'scenarios'),
    root: paths.root,
    env: ctx.io.env,
    log: ctx.log,
    progress: ctx.status,
    signal: ctx.signal,
    listOnly: o.list,
  });
  ctx.status.close();
  if (o.json) ctx.io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (o.list) for (const image of report.images) ctx.io.stdout.write(`${image}\n`);
  else {
    const out = ctx.io.stdout;
    out.write(
      `${ctx.out.green(`Cached ${report.cached.length} of ${report.images.length} images`)} for ${labs.map((l) => l.id).join(', ')} ` +
        `in ${CACHE_UPSTREAMS.length} local registry containers (clusterlab-cache-*).\n`,
    );
    for (const f of report.failed) out.write(`  ${ctx.out.red('✗')} ${f.image}: ${f.error}\n`);
    for (const s of report.skipped)
      out.write(`  - ${s}: its registry has no cache; nodes pull it from there\n`);
    out.write(`Labs made with ${ctx.cmd('clusterlab up --backend kind')} now pull through the cache.\n`);
  }
  return report.failed.length === 0 ? 0 : 1;
}

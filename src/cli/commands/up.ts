import { upLab } from '../../backends/labs.js';
import type { CommandContext } from '../context.js';
import { describeNodes, nextSteps } from './next-steps.js';

export interface UpOptions {
  name?: string;
  backend?: string;
  nodes?: number;
  lab?: string;
  retain?: boolean;
  context?: string;
  json?: boolean;
}

export async function run(o: UpOptions, _args: string[], ctx: CommandContext): Promise<number> {
  const res = await upLab(
    { name: o.name, backend: o.backend, nodes: o.nodes, labId: o.lab, retain: o.retain, context: o.context },
    ctx.labs,
    ctx.status,
    ctx.signal,
  );
  ctx.status.close();
  if (o.json) {
    ctx.io.stdout.write(`${JSON.stringify(res, null, 2)}\n`);
    return 0;
  }
  const what = `${describeNodes(res.nodes)}, Kubernetes ${res.kubernetesVersion}, ${res.backend} backend`;
  const headline = {
    created: `Lab "${res.name}" is up: ${what}.`,
    restarted: `Lab "${res.name}" is back with its saved state: ${what}.`,
    'already-running': `Lab "${res.name}" is already running: ${what}.`,
  }[res.outcome];
  ctx.io.stdout.write(`${ctx.out.green(headline)}\nAPI server: ${res.server}\n${nextSteps(res, ctx)}`);
  return 0;
}

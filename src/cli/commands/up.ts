import { labNodes, upLab } from '../../backends/labs.js';
import type { UpResult } from '../../backends/types.js';
import type { CommandContext } from '../context.js';
import { describeMachines, describeNodes, machineNextSteps, nextSteps } from './next-steps.js';

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
  // A lab of plain machines (the vagrant backend's Linux labs) has no Kubernetes and no API server.
  const hasApi = res.kubeconfig !== '' || res.server !== '';
  const what = hasApi
    ? `${describeNodes(res.nodes)}, Kubernetes ${res.kubernetesVersion}, ${res.backend} backend`
    : `${describeMachines(res.nodes)} without Kubernetes, ${res.backend} backend`;
  const headline = {
    created: `Lab "${res.name}" is up: ${what}.`,
    restarted: `Lab "${res.name}" is back with its saved state: ${what}.`,
    'already-running': `Lab "${res.name}" is already running: ${what}.`,
  }[res.outcome];
  const details = hasApi
    ? `API server: ${res.server}\n${nextSteps(res, ctx)}`
    : machineNextSteps(res, await firstNode(res, ctx), ctx);
  ctx.io.stdout.write(`${ctx.out.green(headline)}\n${details}`);
  return 0;
}

/** The first machine's name, for the example commands; a placeholder if the lab cannot say. */
async function firstNode(res: UpResult, ctx: CommandContext): Promise<string> {
  try {
    return (await labNodes(res.name, ctx.labs))[0]?.name ?? 'NODE';
  } catch {
    return 'NODE';
  }
}

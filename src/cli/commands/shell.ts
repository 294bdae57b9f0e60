import * as path from 'node:path';
import { DEFAULT_LAB_NAME } from '../../state/names.js';
import type { CommandContext } from '../context.js';
import { existingLab, runForeground } from '../foreground.js';
import { prepareSubshell } from '../subshell.js';

export async function run(o: { name?: string }, _args: string[], ctx: CommandContext): Promise<number> {
  const name = o.name ?? DEFAULT_LAB_NAME;
  const lab = await existingLab(name, ctx, false);
  const current = ctx.io.env.CLUSTERLAB_LAB;
  if (current) ctx.log.warn(`this is already a clusterlab shell (lab "${current}"); exit returns to it`);
  const shell = prepareSubshell({
    lab: name,
    kubeconfig: lab.kubeconfig!,
    env: ctx.io.env,
    platform: ctx.io.platform,
    initDir: path.join(ctx.stateDir, 'shell', name),
  });
  ctx.log.info(ctx.err.dim(`Shell for lab "${name}" (KUBECONFIG=${lab.kubeconfig}); type exit to leave.`));
  return runForeground(shell.file, shell.args, shell.env, ctx);
}

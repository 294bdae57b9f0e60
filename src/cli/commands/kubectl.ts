import { findOnPath, kubectlInstallCommand } from '../../backends/host-tools.js';
import { UserError } from '../../errors.js';
import { DEFAULT_LAB_NAME } from '../../state/names.js';
import type { CommandContext } from '../context.js';
import { existingLab, runForeground } from '../foreground.js';

export async function run(o: { name?: string }, args: string[], ctx: CommandContext): Promise<number> {
  const kubectl = findOnPath('kubectl', ctx.io.env);
  if (!kubectl)
    throw new UserError('kubectl is not installed (clusterlab runs the real kubectl, found on PATH)', {
      fix: kubectlInstallCommand(ctx.io.platform),
    });
  const lab = await existingLab(o.name ?? DEFAULT_LAB_NAME, ctx, true);
  ctx.log.debug(`${kubectl} ${args.join(' ')} (KUBECONFIG=${lab.kubeconfig})`);
  return runForeground(kubectl, args, { ...ctx.io.env, KUBECONFIG: lab.kubeconfig }, ctx);
}

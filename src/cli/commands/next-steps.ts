import type { UpResult } from '../../backends/types.js';
import { labCommand } from '../../state/names.js';
import type { CommandContext } from '../context.js';

/** What to type next once a lab is up, spelled the way it runs from where the user is. */
export function nextSteps(res: UpResult, ctx: CommandContext): string {
  const { bold, dim } = ctx.out;
  const exportLine =
    ctx.io.platform === 'win32'
      ? `$env:KUBECONFIG = "${res.kubeconfig}"`
      : `export KUBECONFIG=${res.kubeconfig}`;
  const steps: Array<[string, string]> = [
    ['Run kubectl against the lab:', ctx.cmd(labCommand('kubectl', res.name, '-- get nodes'))],
    ['Or point kubectl in this terminal at it:', exportLine],
    ['Open a shell with KUBECONFIG set:', ctx.cmd(labCommand('shell', res.name))],
    ['Stop the lab and delete it:', ctx.cmd(labCommand('down', res.name))],
  ];
  return `\n${bold('Next:')}\n${steps.map(([what, command]) => `  ${dim(what)}\n    ${command}\n`).join('')}`;
}

/** What to type next once a lab of plain machines (no Kubernetes) is up. */
export function machineNextSteps(res: UpResult, node: string, ctx: CommandContext): string {
  const { bold, dim } = ctx.out;
  const steps: Array<[string, string]> = [
    ['Run a command on a machine:', ctx.cmd(labCommand('node exec', res.name, `${node} -- hostname`))],
    ['Open a root shell on it:', ctx.cmd(labCommand('ssh', res.name, node))],
    ['Stop the lab and delete it:', ctx.cmd(labCommand('down', res.name))],
  ];
  return `\n${bold('Next:')}\n${steps.map(([what, command]) => `  ${dim(what)}\n    ${command}\n`).join('')}`;
}

export const describeMachines = (count: number): string => `${count} machine${count === 1 ? '' : 's'}`;

export function describeNodes(count: number): string {
  const workers = count - 1;
  return `${count} node${count === 1 ? '' : 's'} (1 control plane${workers > 0 ? `, ${workers} worker${workers === 1 ? '' : 's'}` : ''})`;
}

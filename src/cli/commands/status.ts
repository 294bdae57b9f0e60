import { labStatus } from '../../backends/labs.js';
import type { LabState, LabStatus } from '../../backends/types.js';
import { DEFAULT_LAB_NAME, labCommand } from '../../state/names.js';
import type { CommandContext } from '../context.js';
import type { Style } from '../render/style.js';
import { formatAge } from '../render/table.js';
import { describeNodes } from './next-steps.js';

/** Exit 0 only when the lab is running, so `clusterlab status && …` does what it reads like. */
export async function run(o: { name?: string; json?: boolean }, _args: string[], ctx: CommandContext) {
  const st = await labStatus(o.name ?? DEFAULT_LAB_NAME, ctx.labs);
  const out = ctx.io.stdout;
  if (o.json) {
    out.write(`${JSON.stringify(toJson(st, ctx), null, 2)}\n`);
  } else if (st.state === 'absent') {
    out.write(`${st.reason}.\n  start it: ${ctx.cmd(labCommand('up', st.name))}\n`);
  } else {
    const rows: Array<[string, string | undefined]> = [
      ['Lab', st.name],
      ['Status', paintState(st.state, ctx.out) + (st.reason ? ` — ${st.reason}` : '')],
      ['Backend', st.backend],
      ['Nodes', st.nodes === undefined ? undefined : describeNodes(st.nodes)],
      ['Kubernetes', st.kubernetesVersion],
      ['Server', st.server],
      ['Kubeconfig', st.kubeconfig],
      ['Pid', st.pid?.toString()],
      ['Created', st.createdAt && `${st.createdAt} (${formatAge(new Date(st.createdAt))} ago)`],
      ['Directory', st.dir],
      ['Log', st.log],
    ];
    for (const [k, v] of rows) if (v !== undefined) out.write(`${`${k}:`.padEnd(12)}${v}\n`);
    for (const h of st.hints ?? []) out.write(`\n${ctx.out.dim(`To ${h.what}:`)}\n  ${ctx.cmd(h.command)}\n`);
  }
  return st.state === 'running' ? 0 : 1;
}

/** The JSON shape of a status, documented in docs/cli.md; `status` carries the state. */
export function toJson(st: LabStatus, ctx: Pick<CommandContext, 'cmd'>) {
  const { state, hints, ...rest } = st;
  return {
    ...rest,
    status: state,
    hints: hints?.map((h) => ({ what: h.what, command: ctx.cmd(h.command) })),
  };
}

export function paintState(state: LabState, style: Style): string {
  if (state === 'running') return style.green(state);
  if (state === 'crashed' || state === 'absent') return style.red(state);
  return style.yellow(state);
}

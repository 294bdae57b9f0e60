import { listLabs } from '../../backends/labs.js';
import type { CommandContext } from '../context.js';
import { formatAge, renderTable } from '../render/table.js';
import { toJson } from './status.js';

export async function run(o: { json?: boolean }, _args: string[], ctx: CommandContext) {
  const labs = await listLabs(ctx.labs);
  const out = ctx.io.stdout;
  if (o.json) {
    out.write(`${JSON.stringify({ labs: labs.map((l) => toJson(l, ctx)) }, null, 2)}\n`);
    return 0;
  }
  if (labs.length === 0) {
    out.write(`No labs yet. Start one with: ${ctx.cmd('clusterlab up')}\n`);
    return 0;
  }
  const now = new Date();
  out.write(
    renderTable(
      ['NAME', 'BACKEND', 'STATUS', 'NODES', 'AGE', 'SERVER'],
      labs.map((l) => [
        l.name,
        l.backend,
        l.state,
        String(l.nodes ?? ''),
        l.createdAt ? formatAge(new Date(l.createdAt), now) : '',
        l.server ?? '',
      ]),
    ),
  );
  return 0;
}

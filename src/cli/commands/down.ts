import { downLab } from '../../backends/labs.js';
import { DEFAULT_LAB_NAME } from '../../state/names.js';
import type { CommandContext } from '../context.js';

export async function run(o: { name?: string; json?: boolean }, _args: string[], ctx: CommandContext) {
  const name = o.name ?? DEFAULT_LAB_NAME;
  const res = await downLab(name, ctx.labs, ctx.status);
  ctx.status.close();
  if (o.json) ctx.io.stdout.write(`${JSON.stringify(res, null, 2)}\n`);
  else if (res.removed) ctx.io.stdout.write(`Lab "${name}" was stopped and deleted.\n`);
  else ctx.io.stdout.write(`There is no lab called "${name}"; nothing to do.\n`);
  return 0;
}

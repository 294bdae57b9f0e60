import * as fs from 'node:fs';
import { labKubeconfig } from '../../backends/labs.js';
import { DEFAULT_LAB_NAME } from '../../state/names.js';
import type { CommandContext } from '../context.js';

export async function run(o: { name?: string }, _args: string[], ctx: CommandContext) {
  const file = await labKubeconfig(o.name ?? DEFAULT_LAB_NAME, ctx.labs);
  // It holds the lab's bearer token: anyone who can read it owns the lab.
  if (ctx.io.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0)
    ctx.log.warn(`${file} can be read by other users of this machine; chmod 600 ${file}`);
  ctx.io.stdout.write(`${file}\n`);
  return 0;
}

import { UserError } from '../../errors.js';
import { DEFAULT_LAB_NAME, labCommand } from '../../state/names.js';
import type { CommandContext } from '../context.js';
import { findNode } from './node-exec.js';

/**
 * `clusterlab ssh NODE`: an interactive root shell on one of the lab's nodes, as `docker exec
 * -it <node> bash` gives on kind. The terminal goes raw while the shell runs and is put back
 * when it ends, also when it ends badly.
 */
export async function run(o: { name?: string }, args: string[], ctx: CommandContext): Promise<number> {
  const lab = o.name ?? DEFAULT_LAB_NAME;
  const handle = await findNode(lab, args[0], ctx);
  if (!handle.shell)
    throw new UserError(`the backend of lab "${lab}" offers no interactive node shell`, {
      fix: labCommand('node exec', lab, `${handle.name} -- <command>`),
    });
  const stdout = ctx.io.stdout as NodeJS.WriteStream;
  const stderr = ctx.io.stderr as NodeJS.WriteStream;
  if (process.stdin.isTTY)
    ctx.log.info(ctx.err.dim(`Shell on ${handle.name} (lab "${lab}"); type exit to leave.`));
  return handle.shell({ stdin: process.stdin, stdout, stderr });
}

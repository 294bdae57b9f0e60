import { packageVersion } from '../../../state/install.js';
import type { CommandContext } from '../../context.js';
import { parseArgv } from '../../parse.js';

/** `clusterlab scenario` (or `progress`) alone: its help, listing the subcommands. */
export function groupHelp(group: string) {
  return {
    async run(_o: Record<string, unknown>, _args: string[], ctx: CommandContext): Promise<number> {
      const parsed = parseArgv([group, '--help'], packageVersion());
      if (parsed.kind === 'print') ctx.io.stdout.write(parsed.text);
      return 0;
    },
  };
}

export const { run } = groupHelp('scenario');

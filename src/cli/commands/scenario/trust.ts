import { displayPath } from '../../../scenario/load.js';
import { TrustStore } from '../../../session/trust.js';
import type { CommandContext } from '../../context.js';
import { builtinScenarios, loadAll, scenarioDirs } from './find.js';

export async function run(_o: Record<string, unknown>, args: string[], ctx: CommandContext): Promise<number> {
  const scenarios = loadAll(scenarioDirs(args, ctx.io.cwd), ctx);
  const store = new TrustStore(ctx.stateDir, builtinScenarios());
  for (const s of scenarios) {
    const rel = displayPath(s.dir, ctx.io.cwd);
    if (store.isBuiltin(s.dir)) {
      ctx.io.stdout.write(`${rel} is a built-in scenario; its scripts always run.\n`);
      continue;
    }
    store.trust(s.dir);
    ctx.io.stdout.write(
      `${ctx.out.green('✓')} Trusted ${rel}: its scripts may run until its files change.\n`,
    );
  }
  return 0;
}

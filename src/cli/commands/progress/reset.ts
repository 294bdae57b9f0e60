import { UserError } from '../../../errors.js';
import { ProgressStore } from '../../../session/progress.js';
import { learnerName } from '../../../state/scenario-paths.js';
import type { CommandContext } from '../../context.js';

export async function run(
  o: { scenario?: string; name?: string; learner?: string; all?: boolean; json?: boolean },
  _args: string[],
  ctx: CommandContext,
): Promise<number> {
  if (!o.scenario && !o.all)
    throw new UserError('say which progress to forget: --scenario ID, or --all for every scenario', {
      fix: 'clusterlab progress reset --scenario ID',
    });
  const learner = o.learner ?? learnerName(ctx.io.env);
  const store = new ProgressStore(ctx.stateDir);
  const removed = store.reset({ learner, lab: o.name, scenario: o.scenario });
  if (o.json) {
    ctx.io.stdout.write(`${JSON.stringify({ learner, removed }, null, 2)}\n`);
    return 0;
  }
  const what = `${o.scenario ? `scenario "${o.scenario}"` : 'every scenario'}${o.name ? ` on lab "${o.name}"` : ''} for ${learner}`;
  if (removed.length === 0) ctx.io.stdout.write(`No progress recorded for ${what}; nothing to do.\n`);
  else {
    ctx.io.stdout.write(`Forgot the progress of ${what}; it starts again at the first step:\n`);
    for (const f of removed) ctx.io.stdout.write(`  removed ${f}\n`);
  }
  return 0;
}

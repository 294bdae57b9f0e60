import * as fs from 'node:fs';
import * as path from 'node:path';
import { displayPath, formatProblem, loadScenario, SCENARIO_FILE } from '../../../scenario/load.js';
import type { CommandContext } from '../../context.js';
import { builtinScenarios, scenarioDirs } from './find.js';

/** Exit 0 when every scenario is valid; otherwise every problem as file:line:col, and exit 1. */
export async function run(o: { json?: boolean }, args: string[], ctx: CommandContext): Promise<number> {
  const defaults = fs.existsSync(path.join(ctx.io.cwd, SCENARIO_FILE)) ? [ctx.io.cwd] : [builtinScenarios()];
  const dirs = scenarioDirs(args.length > 0 ? args : defaults, ctx.io.cwd);
  const results = dirs.map((dir) => ({ dir, r: loadScenario(dir) }));
  const out = ctx.io.stdout;
  if (o.json) {
    const doc = results.map(({ dir, r }) => ({
      dir,
      valid: r.ok,
      ...(r.ok ? { id: r.scenario.id, steps: r.scenario.steps.length } : { problems: r.problems }),
    }));
    out.write(`${JSON.stringify({ scenarios: doc }, null, 2)}\n`);
  } else {
    for (const { dir, r } of results) {
      const rel = displayPath(dir, ctx.io.cwd);
      if (r.ok)
        out.write(
          `${ctx.out.green('✓')} ${rel}: valid (${r.scenario.steps.length} step${r.scenario.steps.length === 1 ? '' : 's'})\n`,
        );
      else {
        for (const p of r.problems) out.write(`${formatProblem(p, ctx.io.cwd)}\n`);
        out.write(
          `${ctx.out.red('✗')} ${rel}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}\n`,
        );
      }
    }
    if (results.length === 0) out.write('No scenarios found.\n');
  }
  return results.every(({ r }) => r.ok) ? 0 : 1;
}

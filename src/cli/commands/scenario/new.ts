import * as path from 'node:path';
import { displayPath, formatProblem, loadScenario } from '../../../scenario/load.js';
import { scaffoldScenario } from '../../../scenario/scaffold.js';
import type { CommandContext } from '../../context.js';

export async function run(o: { dir?: string }, args: string[], ctx: CommandContext): Promise<number> {
  const id = args[0]!;
  const parent = path.resolve(ctx.io.cwd, o.dir ?? '.');
  const made = scaffoldScenario(parent, id);
  // The scaffold is the author's starting point: it must itself be valid.
  const r = loadScenario(made.dir);
  if (!r.ok)
    throw new Error(`the scaffold does not validate:\n${r.problems.map((p) => formatProblem(p)).join('\n')}`);
  const rel = displayPath(made.dir, ctx.io.cwd);
  const out = ctx.io.stdout;
  out.write(`${ctx.out.green('✓')} Created the scenario "${id}" in ${rel}:\n`);
  for (const f of made.files) out.write(`    ${path.join(rel, f)}\n`);
  out.write(
    `    ${path.relative(ctx.io.cwd, made.schema)} (the JSON Schema your editor completes scenario.yaml from)\n`,
  );
  out.write(
    `\n${ctx.out.bold('Next:')}\n  ${ctx.out.dim('Check it as you edit:')}\n    ${ctx.cmd(`clusterlab scenario validate ${rel}`)}\n` +
      `  ${ctx.out.dim('Prove it on a fresh lab (setup, checks fail, solution, checks pass):')}\n    ${ctx.cmd(`clusterlab scenario test ${rel} --trust`)}\n`,
  );
  return 0;
}

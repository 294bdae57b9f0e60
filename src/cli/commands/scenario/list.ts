import { displayPath, loadScenario } from '../../../scenario/load.js';
import type { CommandContext } from '../../context.js';
import { renderTable } from '../../render/table.js';
import { builtinScenarios, capabilitiesOf, scenarioDirs } from './find.js';

export async function run(
  o: { json?: boolean; name?: string },
  args: string[],
  ctx: CommandContext,
): Promise<number> {
  const dirs = scenarioDirs(args.length > 0 ? args : [builtinScenarios()], ctx.io.cwd);
  const { backend, capabilities } = await capabilitiesOf(o.name, ctx);
  const rows = dirs.map((dir) => {
    const r = loadScenario(dir);
    const rel = displayPath(dir, ctx.io.cwd);
    if (!r.ok) return { dir: rel, valid: false as const, problems: r.problems.length };
    const s = r.scenario;
    const unavailable = s.steps.filter((st) => st.needs.some((c) => !capabilities.includes(c)));
    return {
      dir: rel,
      valid: true as const,
      id: s.id,
      title: s.title,
      topic: s.topic,
      difficulty: s.difficulty,
      estimatedMinutes: s.estimatedMinutes,
      steps: s.steps.length,
      needs: [...new Set(s.steps.flatMap((st) => st.needs))],
      backends: s.lab.backends,
      unavailableSteps: unavailable.map((st) => ({
        id: st.id,
        needs: st.needs.filter((c) => !capabilities.includes(c)),
      })),
    };
  });
  if (o.json) {
    ctx.io.stdout.write(`${JSON.stringify({ backend, capabilities, scenarios: rows }, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    ctx.io.stdout.write(
      `No scenarios in ${dirs.join(', ') || builtinScenarios()}. Write one with: ${ctx.cmd('clusterlab scenario new my-scenario')}\n`,
    );
    return 0;
  }
  ctx.io.stdout.write(
    renderTable(
      ['ID', 'TITLE', 'LEVEL', 'MIN', 'STEPS', `ON ${backend.toUpperCase()}`, 'FOLDER'],
      rows.map((r) =>
        r.valid
          ? [
              r.id,
              r.title,
              r.difficulty,
              String(r.estimatedMinutes),
              String(r.steps),
              r.unavailableSteps.length === 0
                ? 'all steps'
                : `${r.steps - r.unavailableSteps.length} of ${r.steps} (${[...new Set(r.unavailableSteps.flatMap((u) => u.needs))].join(', ')} not available)`,
              r.dir,
            ]
          : ['?', `invalid: ${r.problems} problem${r.problems === 1 ? '' : 's'}`, '', '', '', '', r.dir],
      ),
    ),
  );
  if (rows.some((r) => !r.valid))
    ctx.io.stdout.write(`\nSee what is wrong with: ${ctx.cmd('clusterlab scenario validate PATH')}\n`);
  return 0;
}

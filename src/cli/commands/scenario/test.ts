import * as fs from 'node:fs';
import * as path from 'node:path';
import { InterruptedError } from '../../../errors.js';
import { displayPath } from '../../../scenario/load.js';
import type { Scenario } from '../../../scenario/types.js';
import { type ScenarioRun, testScenario } from '../../../session/scenario-test.js';
import { TrustStore } from '../../../session/trust.js';
import type { CommandContext } from '../../context.js';
import { builtinScenarios, loadAll, scenarioDirs } from './find.js';
import { junit, stepLine, summaryLine } from './report.js';

export interface TestOptions {
  all?: boolean;
  backend?: string;
  repeat?: number;
  json?: boolean;
  junit?: string;
  trust?: boolean;
}

/** Run scenarios' own tests on fresh labs; exit 1 when any step fails (for CI). */
export async function run(o: TestOptions, args: string[], ctx: CommandContext): Promise<number> {
  const scenarios = resolve(o, args, ctx);
  const trust = new TrustStore(ctx.stateDir, builtinScenarios());
  for (const s of scenarios) {
    if (o.trust && !trust.isTrusted(s.dir)) trust.trust(s.dir);
    trust.require(s.dir);
  }
  const runs = await testAll(scenarios, o, ctx);
  if (o.junit) fs.writeFileSync(path.resolve(ctx.io.cwd, o.junit), junit(runs));
  if (o.json)
    ctx.io.stdout.write(
      `${JSON.stringify({ ok: runs.every((r) => r.run.ok), runs: runs.map((r) => r.run) }, null, 2)}\n`,
    );
  if (ctx.signal.aborted)
    throw new InterruptedError('scenario test was interrupted; its test labs were removed');
  return runs.every((r) => r.run.ok) ? 0 : 1;
}

function resolve(o: TestOptions, args: string[], ctx: CommandContext): Scenario[] {
  const paths = o.all ? [...args, builtinScenarios()] : args;
  if (paths.length === 0) {
    if (fs.existsSync(path.join(ctx.io.cwd, 'scenario.yaml'))) paths.push(ctx.io.cwd);
    else paths.push(builtinScenarios());
  }
  return loadAll(scenarioDirs(paths, ctx.io.cwd), ctx);
}

export async function testAll(scenarios: Scenario[], o: TestOptions, ctx: CommandContext) {
  const rounds = o.repeat ?? 1;
  const runs: Array<{ run: ScenarioRun; scenario: Scenario }> = [];
  const out = ctx.io.stdout;
  const plain = !o.json;
  for (const scenario of scenarios) {
    const width = Math.max(...scenario.steps.map((s) => s.id.length));
    for (let round = 1; round <= rounds && !ctx.signal.aborted; round++) {
      if (plain) {
        const where = displayPath(scenario.dir, ctx.io.cwd);
        out.write(
          `${ctx.out.bold(`Testing ${scenario.id}`)} (${where}) on a fresh ${o.backend ?? 'sim'} lab${rounds > 1 ? `, round ${round} of ${rounds}` : ''}\n`,
        );
      }
      const run = await testScenario(scenario, {
        labs: ctx.labs,
        backend: o.backend,
        env: ctx.io.env,
        signal: ctx.signal,
        round,
        reporter: {
          phases: ctx.status,
          step: (r) => {
            ctx.status.close();
            if (plain) out.write(stepLine(r, width, ctx.out));
          },
        },
      });
      ctx.status.close();
      runs.push({ run, scenario });
      if (plain) out.write(summaryLine(run, rounds, ctx.out));
    }
  }
  return runs;
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_BACKEND } from '../../backends/factory.js';
import { labStatus } from '../../backends/labs.js';
import { InterruptedError, UserError } from '../../errors.js';
import { displayPath, requireScenario } from '../../scenario/load.js';
import { TrustStore } from '../../session/trust.js';
import { readLabHeader } from '../../state/labs.js';
import { DEFAULT_LAB_NAME } from '../../state/names.js';
import { endWhenIdle } from '../../tui/exit.js';
import type { CommandContext } from '../context.js';
import { noTerminal, partingWords } from './home.js';
import { builtinScenarios, scenarioDirs } from './scenario/find.js';

export interface StartOptions {
  backend?: string;
  name?: string;
  trust?: boolean;
}

/** `clusterlab start SCENARIO`: straight to the runner, bringing the lab up first when it is not running. */
export async function run(o: StartOptions, args: string[], ctx: CommandContext): Promise<number> {
  const lab = o.name ?? DEFAULT_LAB_NAME;
  const dir = resolveScenario(args[0]!, ctx);
  const scenario = requireScenario(dir, ctx.io.cwd);
  const trust = new TrustStore(ctx.stateDir, builtinScenarios());
  if (o.trust && !trust.isTrusted(scenario.dir)) trust.trust(scenario.dir);
  trust.require(scenario.dir);
  const backend = readLabHeader(ctx.stateDir, lab)?.backend ?? o.backend ?? DEFAULT_BACKEND;
  if (!scenario.lab.backends.includes(backend))
    throw new UserError(
      `the scenario "${scenario.id}" does not run on the ${backend} backend (it runs on ${scenario.lab.backends.join(', ')})`,
      {
        fix: `clusterlab start ${args[0]} --backend ${scenario.lab.backends[0]} --name ${lab}-${scenario.lab.backends[0]}`,
      },
    );

  const { terminalProblem, runTui } = await import('../../tui/terminal.js');
  const problem = terminalProblem({
    stdout: ctx.io.stdout as NodeJS.WriteStream,
    stdin: process.stdin,
    env: ctx.io.env,
  });
  if (problem) return noTerminal(problem, ctx);
  const { liveServices } = await import('../../tui/services/live.js');
  const services = liveServices({
    stateDir: ctx.stateDir,
    env: ctx.io.env,
    platform: ctx.io.platform,
    cwd: ctx.io.cwd,
    scenarioRoots: [path.dirname(scenario.dir)],
    cmd: ctx.cmd,
  });
  const state = (await labStatus(lab, ctx.labs)).state;
  const exit = await runTui(
    {
      services,
      lab,
      signal: ctx.signal,
      initial:
        state === 'running'
          ? { screen: 'opening', scenarioDir: scenario.dir, lab, from: 'start' }
          : {
              screen: 'lab-up',
              request: {
                lab,
                backend: state === 'absent' ? o.backend : undefined,
                nodes: scenario.lab.nodes,
              },
              scenarioDir: scenario.dir,
              from: 'start',
            },
    },
    { stdout: process.stdout, stdin: process.stdin, stderr: process.stderr, env: ctx.io.env },
  ).finally(() => endWhenIdle(ctx.io.env));
  if (exit.cancelled || ctx.signal.aborted)
    throw new InterruptedError(
      `cancelled; lab "${lab}" was not started (the backend removed what it had made)`,
    );
  if (exit.error) throw exit.error;
  if (exit.scenarioId)
    ctx.io.stdout.write(partingWords(lab, scenario.id, startArg(args[0]!, scenario.dir, ctx), ctx));
  return 0;
}

/** A folder (or its scenario.yaml), or the id of a built-in scenario. */
function resolveScenario(arg: string, ctx: CommandContext): string {
  const local = path.resolve(ctx.io.cwd, arg);
  if (fs.existsSync(local)) return local;
  const builtin = scenarioDirs([builtinScenarios()], ctx.io.cwd).find(
    (d) => path.basename(d) === arg || scenarioId(d) === arg,
  );
  if (builtin) return builtin;
  throw new UserError(`there is no scenario "${arg}": it is neither a folder here nor a built-in scenario`, {
    fix: 'clusterlab scenario list',
  });
}

function scenarioId(dir: string): string | undefined {
  try {
    return /^id:\s*(\S+)/m.exec(fs.readFileSync(path.join(dir, 'scenario.yaml'), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** How to name the scenario in `clusterlab start …` again: as it was given, relative to here. */
function startArg(arg: string, dir: string, ctx: CommandContext): string {
  return fs.existsSync(path.resolve(ctx.io.cwd, arg)) ? displayPath(dir, ctx.io.cwd) : arg;
}

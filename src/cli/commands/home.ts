import { DEFAULT_LAB_NAME } from '../../state/names.js';
import { endWhenIdle } from '../../tui/exit.js';
import type { CommandContext } from '../context.js';
import { builtinScenarios } from './scenario/find.js';

/** `clusterlab` (and `clusterlab home`): the app's Home screen, on a terminal only. */
export async function run(o: { name?: string }, args: string[], ctx: CommandContext): Promise<number> {
  const { terminalProblem } = await import('../../tui/terminal.js');
  const problem = terminalProblem({
    stdout: ctx.io.stdout as NodeJS.WriteStream,
    stdin: process.stdin,
    env: ctx.io.env,
  });
  if (problem) return noTerminal(problem, ctx);
  const { runTui } = await import('../../tui/terminal.js');
  const { liveServices } = await import('../../tui/services/live.js');
  const lab = o.name ?? DEFAULT_LAB_NAME;
  const path = await import('node:path');
  const services = liveServices({
    stateDir: ctx.stateDir,
    env: ctx.io.env,
    platform: ctx.io.platform,
    cwd: ctx.io.cwd,
    scenarioRoots: args.map((a) => path.resolve(ctx.io.cwd, a)),
    cmd: ctx.cmd,
  });
  const exit = await runTui(
    { services, initial: { screen: 'home' }, lab, signal: ctx.signal },
    { stdout: process.stdout, stdin: process.stdin, stderr: process.stderr, env: ctx.io.env },
  ).finally(() => endWhenIdle(ctx.io.env));
  if (exit.error) throw exit.error;
  if (exit.scenarioId) {
    const { displayPath } = await import('../../scenario/load.js');
    const builtin = exit.scenarioDir?.startsWith(builtinScenarios() + path.sep);
    const arg = exit.scenarioDir && !builtin ? displayPath(exit.scenarioDir, ctx.io.cwd) : exit.scenarioId;
    ctx.io.stdout.write(partingWords(exit.lab ?? lab, exit.scenarioId, arg, ctx));
  }
  return 0;
}

/** What to type next, once the app has given the terminal back. */
export function partingWords(lab: string, scenarioId: string, startArg: string, ctx: CommandContext): string {
  const flag = lab === DEFAULT_LAB_NAME ? '' : ` --name ${lab}`;
  // A blank line first: the line the terminal had under the app's last frame may be cleared.
  return (
    `\nYour progress in ${scenarioId} is saved; lab "${lab}" keeps running.\n` +
    `  continue:  ${ctx.cmd(`clusterlab start ${startArg}${flag}`)}\n` +
    `  a shell:   ${ctx.cmd(`clusterlab shell${flag}`)}\n` +
    `  remove it: ${ctx.cmd(`clusterlab down${flag}`)}\n`
  );
}

/** Without a terminal the app cannot run: say so, and which commands do the same from a script. */
export function noTerminal(problem: string, ctx: CommandContext): number {
  const rows: Array<[string, string]> = [
    ['clusterlab scenario list', 'the scenarios, and what this lab can run'],
    ['clusterlab up', 'start a lab'],
    ['clusterlab status', 'whether the lab runs'],
    ['clusterlab kubectl -- get nodes', 'kubectl against it'],
    ['clusterlab scenario test PATH', "prove a scenario's steps on a fresh lab"],
    ['clusterlab --help', 'every command'],
  ];
  const cmds = rows.map(([c, what]) => [ctx.cmd(c), what] as const);
  const w = Math.max(...cmds.map(([c]) => c.length));
  ctx.io.stderr.write(
    `${ctx.err.red('error:')} clusterlab's interactive app needs a terminal, and ${problem}.\n` +
      `  Run it in a terminal, or use the commands scripts use (scenarios are in ${builtinScenarios()}):\n` +
      cmds.map(([c, what]) => `    ${c.padEnd(w)}  ${what}\n`).join(''),
  );
  return 1;
}

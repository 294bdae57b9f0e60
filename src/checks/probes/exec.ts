import { describeConditions, evaluateConditions } from '../conditions.js';
import { parseJsonPath } from '../jsonpath/parse.js';
import type { Condition, ExecCommon, Outcome } from '../types.js';
import { clip } from './describe.js';

/** What an exec probe sees on one target; its conditions are JSONPaths into this. */
export interface ExecView {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** The node or pod the command ran on. */
  target: string;
}

/** With no conditions, a command must simply succeed. */
export const EXIT_ZERO: Condition = {
  t: 'path',
  path: parseJsonPath('{.exitCode}'),
  test: { op: 'equals', value: 0 },
};

export function shellWords(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** `any`/`all` of the targets' results must satisfy the conditions. */
export function evaluateExec(
  probe: ExecCommon,
  where: string,
  conditions: Condition[],
  views: readonly ExecView[],
): Outcome {
  const conds = conditions.length > 0 ? conditions : [EXIT_ZERO];
  const cmd = clip(shellWords(probe.command), 60);
  const expected = `"${cmd}" on ${probe.on === 'all' ? 'every' : 'one'} of ${where}: ${describeConditions(conds)}`;
  if (views.length === 0) return { ok: false, expected, actual: `there are no ${where} to run it on` };
  const results = views.map((v) => ({ v, r: evaluateConditions(conds, v) }));
  const ok = probe.on === 'all' ? results.every((x) => x.r.ok) : results.some((x) => x.r.ok);
  const shown = ok ? results.filter((x) => x.r.ok) : results.filter((x) => !x.r.ok);
  const actual = shown
    .slice(0, 3)
    .map(({ v, r }) => {
      // -1: the command never ran to an end (timeout, no connection); its error says why.
      if (v.exitCode === -1) return `${v.target}: ${clip(v.stderr, 120)}`;
      const failed =
        v.exitCode !== 0 && !r.ok
          ? ` (exit code ${v.exitCode}${v.stderr ? `: ${clip(v.stderr, 80)}` : ''})`
          : '';
      return `${v.target}: ${clip(r.actual)}${failed}`;
    })
    .join('; ');
  return { ok, expected, actual };
}

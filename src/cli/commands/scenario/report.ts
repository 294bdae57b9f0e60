import type { Scenario } from '../../../scenario/types.js';
import type { ScenarioRun, StepResult } from '../../../session/scenario-test.js';
import type { Style } from '../../render/style.js';

/** How `scenario test` results read: plain lines for people, JUnit XML for CI. */

const secs = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : ms < 1 ? 'under 1 ms' : `${ms} ms`;

export function stepLine(r: StepResult, width: number, style: Style): string {
  const name = r.stepId.padEnd(width);
  switch (r.status) {
    case 'passed':
      return `  ${style.green('✓')} ${name}  fails before its solution, passes ${secs(r.passMs ?? 0)} after it\n`;
    case 'skipped':
      return `  ${style.yellow('-')} ${name}  skipped: ${r.reason}\n`;
    case 'not-run':
      return `  ${style.dim('·')} ${name}  ${style.dim(`not run: ${r.reason}`)}\n`;
    case 'failed': {
      let s = `  ${style.red('✗')} ${name}  ${r.reason}\n`;
      for (const f of r.failures ?? []) {
        s += `      ${style.red('✗')} ${f.checkId}: ${f.description}\n`;
        if (f.failure) s += `          ${f.failure}\n`;
        s += `          expected: ${f.expected}\n          actual:   ${f.actual}\n`;
      }
      return s;
    }
  }
}

export function summaryLine(run: ScenarioRun, rounds: number, style: Style): string {
  const n = (st: StepResult['status']) => run.steps.filter((s) => s.status === st).length;
  const parts = [`${n('passed')} passed`, `${n('failed')} failed`];
  if (n('skipped') > 0) parts.push(`${n('skipped')} skipped`);
  if (n('not-run') > 0) parts.push(`${n('not-run')} not run`);
  const round = rounds > 1 ? `, round ${run.round} of ${rounds}` : '';
  const head = run.ok ? style.green(`${run.scenario}: ok`) : style.red(`${run.scenario}: FAILED`);
  const err = run.error ? `\n  ${style.red('error:')} ${run.error}` : '';
  return `${head} — ${parts.join(', ')} (${secs(run.ms)}${round})${err}\n`;
}

const xml = (s: string) =>
  s
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
    )
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');

/** JUnit XML: a testsuite per scenario run, a testcase per step. */
export function junit(runs: Array<{ run: ScenarioRun; scenario: Scenario }>): string {
  const suites = runs.map(({ run }) => {
    const name =
      runs.filter((r) => r.run.scenario === run.scenario).length > 1
        ? `${run.scenario} (round ${run.round})`
        : run.scenario;
    const count = (st: string) => run.steps.filter((s) => s.status === st).length;
    const cases = run.steps.map((s) => {
      const open = `    <testcase classname="${xml(run.scenario)}" name="${xml(s.stepId)}: ${xml(s.title)}" time="${(s.ms / 1000).toFixed(3)}"`;
      if (s.status === 'passed') return `${open}/>`;
      if (s.status === 'skipped' || s.status === 'not-run')
        return `${open}>\n      <skipped message="${xml(s.reason ?? '')}"/>\n    </testcase>`;
      const detail = (s.failures ?? [])
        .map((f) => `${f.checkId}: ${f.description}\n  expected: ${f.expected}\n  actual:   ${f.actual}`)
        .join('\n');
      return `${open}>\n      <failure message="${xml(s.reason ?? 'failed')}">${xml(detail)}</failure>\n    </testcase>`;
    });
    if (run.error)
      cases.push(
        `    <testcase classname="${xml(run.scenario)}" name="lab and scripts" time="0"><error message="${xml(run.error)}"/></testcase>`,
      );
    return (
      `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${count('failed')}" errors="${run.error ? 1 : 0}" skipped="${count('skipped') + count('not-run')}" time="${(run.ms / 1000).toFixed(3)}">\n` +
      `${cases.join('\n')}\n  </testsuite>`
    );
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="clusterlab scenario test">\n${suites.join('\n')}\n</testsuites>\n`;
}

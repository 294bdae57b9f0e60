import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { UserError } from '../errors.js';
import { compileScenario } from './compile.js';
import { parseStepText } from './markdown.js';
import { namespaceProblems } from './namespace-checks.js';
import { resolveScenario } from './namespaces.js';
import { FORMAT_VERSION, SCENARIO_SCHEMA } from './schema/spec.js';
import { type Positions, type Problem, posOf, validateDocument } from './schema/validate.js';
import type { Scenario } from './types.js';

export const SCENARIO_FILE = 'scenario.yaml';

export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; file: string; problems: Problem[] };

/** `file:line:col: message`, the way compilers point at a mistake (editors make it a link). */
export function formatProblem(p: Problem, cwd?: string): string {
  const file = cwd ? displayPath(p.file, cwd) : p.file;
  return p.line > 0 ? `${file}:${p.line}:${p.col}: ${p.message}` : `${file}: ${p.message}`;
}

/** A path as a person reads it: relative when it is under `cwd`, absolute otherwise. */
export function displayPath(p: string, cwd: string): string {
  const rel = path.relative(cwd, p);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}

/** A scenario folder, or its scenario.yaml, → the scenario or every problem found in it. */
export function loadScenario(where: string): LoadResult {
  const file =
    path.basename(where) === SCENARIO_FILE ? path.resolve(where) : path.resolve(where, SCENARIO_FILE);
  const dir = path.dirname(file);
  const fail = (message: string): LoadResult => ({
    ok: false,
    file,
    problems: [{ file, line: 0, col: 0, message }],
  });
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return fail(
        fs.existsSync(dir)
          ? `there is no ${SCENARIO_FILE} in ${dir}; create one with "clusterlab scenario new ID"`
          : `there is no folder ${dir}`,
      );
    return fail(`cannot read it: ${(e as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  // Only the first syntax error: the ones after it are usually the same mistake seen again.
  if (syntax) return { ok: false, file, problems: [yamlProblem(syntax, text, file, lines)] };
  if (doc.contents === null)
    return fail(
      `the file is empty; a scenario starts with "format: ${FORMAT_VERSION}" (or run "clusterlab scenario new ID")`,
    );
  const raw = doc.contents.toJSON?.() as { format?: unknown } | undefined;
  if (typeof raw?.format === 'number' && raw.format > FORMAT_VERSION) {
    const at = doc.get('format', true) as { range?: [number, number, number] } | undefined;
    return {
      ok: false,
      file,
      problems: [
        {
          file,
          ...posOf(lines, at?.range?.[0] ?? 0),
          message: `this scenario is written in format ${raw.format}, and this clusterlab reads format ${FORMAT_VERSION}: update clusterlab to run it`,
        },
      ],
    };
  }
  const { value, problems, positions } = validateDocument(doc.contents, SCENARIO_SCHEMA, {
    file,
    dir,
    lines,
  });
  if (problems.length === 0) problems.push(...crossChecks(value as Raw, file, dir, positions));
  if (problems.length > 0) return { ok: false, file, problems: sortProblems(problems) };
  const written = compileScenario(value as Raw, dir, file, positions);
  // Placeholders written out with each namespace as itself, as on a lab that owns its cluster.
  return { ok: true, scenario: resolveScenario(written, written.namespaces) };
}

type Raw = Record<string, any>;

/** Rules across the document: unique ids, step texts that render. */
function crossChecks(raw: Raw, file: string, dir: string, positions: Positions): Problem[] {
  const problems: Problem[] = [];
  const at = (p: string) => positions.get(p)?.value ?? { line: 1, col: 1 };
  const seenSteps = new Map<string, number>();
  (raw.steps as Raw[]).forEach((s, i) => {
    const first = seenSteps.get(s.id);
    if (first !== undefined)
      problems.push({
        file,
        ...at(`steps.${i}.id`),
        message: `step id "${s.id}" is already used by step ${first + 1}; step ids must be unique`,
      });
    else seenSteps.set(s.id, i);
    const seenChecks = new Map<string, number>();
    ((s.checks ?? []) as Raw[]).forEach((c, j) => {
      const prev = seenChecks.get(c.id);
      if (prev !== undefined)
        problems.push({
          file,
          ...at(`steps.${i}.checks.${j}.id`),
          message: `check id "${c.id}" is already used by check ${prev + 1} of this step`,
        });
      else seenChecks.set(c.id, j);
      if (c.id === 'question' && s.question)
        problems.push({
          file,
          ...at(`steps.${i}.checks.${j}.id`),
          message: 'the check id "question" is taken by the step\'s question; choose another',
        });
    });
    const md = path.join(dir, s.text);
    for (const p of parseStepText(fs.readFileSync(md, 'utf8')).problems) problems.push({ file: md, ...p });
  });
  problems.push(...namespaceProblems(raw, file, dir, positions));
  return problems;
}

function sortProblems(ps: Problem[]): Problem[] {
  return [...ps].sort((a, b) =>
    a.file === b.file ? a.line - b.line || a.col - b.col : a.file.localeCompare(b.file),
  );
}

function yamlProblem(
  e: { message: string; pos: [number, number]; code?: string },
  text: string,
  file: string,
  lines: LineCounter,
): Problem {
  const message = yamlMessage(e.message);
  if (/^Missing closing .?quote/.test(message)) {
    // The parser notices at the end of the file; point at the string that was never closed.
    const open = unclosedQuote(text);
    if (open) return { file, ...open, message: `this string's closing ${open.quote} is missing` };
  }
  return { file, ...posOf(lines, e.pos[0]), message };
}

/** The first line whose quotes do not pair up (outside comments). */
function unclosedQuote(text: string): { line: number; col: number; quote: string } | undefined {
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    let quote: string | undefined;
    let start = 0;
    const l = all[i]!;
    for (let j = 0; j < l.length; j++) {
      const c = l[j]!;
      if (!quote && c === '#' && (j === 0 || l[j - 1] === ' ')) break;
      if (quote === '"' && c === '\\') j++;
      else if (!quote && (c === '"' || c === "'") && (j === 0 || /[\s:[{,-]/.test(l[j - 1]!))) {
        quote = c;
        start = j;
      } else if (c === quote) {
        // '' inside a single-quoted string is an escaped quote, not the end.
        if (quote === "'" && l[j + 1] === "'") j++;
        else quote = undefined;
      }
    }
    if (quote) return { line: i + 1, col: start + 1, quote };
  }
  return undefined;
}

/** The first line of the yaml package's message, which says what is wrong in plain words. */
function yamlMessage(m: string): string {
  const first = m.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (/Map keys must be unique/.test(first)) return 'this key appears twice in the same mapping; keep one';
  if (/Tabs are not allowed|tab characters/i.test(first))
    return 'YAML does not allow tabs for indentation; indent with spaces';
  return first;
}

/** Load or throw a UserError listing every problem (for commands other than `validate`). */
export function requireScenario(where: string, cwd?: string): Scenario {
  const r = loadScenario(where);
  if (r.ok) return r.scenario;
  const shown = r.problems.slice(0, 10).map((p) => `  ${formatProblem(p, cwd)}`);
  const more = r.problems.length > 10 ? `\n  … and ${r.problems.length - 10} more` : '';
  throw new UserError(
    `the scenario in ${path.dirname(r.file)} has ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}:\n${shown.join('\n')}${more}`,
    { fix: `clusterlab scenario validate ${displayPath(path.dirname(r.file), cwd ?? process.cwd())}` },
  );
}

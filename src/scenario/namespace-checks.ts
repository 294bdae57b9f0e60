import * as fs from 'node:fs';
import * as path from 'node:path';
import { unknownPlaceholders, unknownScriptVariables } from './namespaces.js';
import type { Positions, Problem } from './schema/validate.js';

/**
 * Load-time rules for `namespaces:`: each is declared once, and every `{{ns:NAME}}` (in
 * scenario.yaml and the step texts) and `$NS_NAME` (in the scripts) names a declared one, so a
 * typo is found by `scenario validate`, not by a learner on a shared cluster.
 */

type Raw = Record<string, any>;

export function namespaceProblems(raw: Raw, file: string, dir: string, positions: Positions): Problem[] {
  const declared: string[] = raw.namespaces ?? [];
  const problems: Problem[] = [];
  const at = (p: string) => positions.get(p)?.value ?? { line: 1, col: 1 };
  const seen = new Map<string, number>();
  declared.forEach((n, i) => {
    const first = seen.get(n);
    if (first === undefined) seen.set(n, i);
    else
      problems.push({
        file,
        ...at(`namespaces.${i}`),
        message: `namespace "${n}" is already declared (namespace ${first + 1}); list each once`,
      });
  });

  const yamlText = fs.readFileSync(file, 'utf8');
  const offsetOf = lineOffsets(yamlText);
  for (const [p, value] of strings(raw, '')) {
    if (p.startsWith('namespaces.')) continue;
    const found = unknownPlaceholders(value, declared);
    if (found.length === 0) continue;
    // Point at the placeholder itself when the source shows it as written (not escaped).
    const start = at(p);
    let cursor = offsetOf(start.line, start.col);
    for (const f of found) {
      const written = value.slice(f.offset, value.indexOf('}}', f.offset) + 2);
      const idx = yamlText.indexOf(written, cursor);
      const pos = idx >= 0 ? posAt(yamlText, idx) : start;
      if (idx >= 0) cursor = idx + written.length;
      problems.push({ file, ...pos, message: f.message });
    }
  }

  for (const s of (raw.steps ?? []) as Raw[]) {
    const md = path.join(dir, s.text);
    const text = fs.readFileSync(md, 'utf8');
    for (const f of unknownPlaceholders(text, declared))
      problems.push({ file: md, ...posAt(text, f.offset), message: f.message });
  }

  const scripts = new Set<string>(
    [raw.setup, raw.cleanup, ...((raw.steps ?? []) as Raw[]).flatMap((s) => [s.solution, s.setup, s.cleanup])]
      .filter((x): x is string => typeof x === 'string')
      .map((x) => path.join(dir, x)),
  );
  for (const script of scripts) {
    let text: string;
    try {
      text = fs.readFileSync(script, 'utf8');
    } catch {
      continue; // The schema already said it is missing.
    }
    for (const f of unknownScriptVariables(text, declared))
      problems.push({ file: script, ...posAt(text, f.offset), message: f.message });
  }
  return problems;
}

/** Every string of a plain value, with its path (`steps.0.hints.2`). */
function* strings(v: unknown, at: string): Generator<[string, string]> {
  if (typeof v === 'string') yield [at, v];
  else if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* strings(x, at ? `${at}.${i}` : `${i}`);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) yield* strings(x, at ? `${at}.${k}` : k);
}

function posAt(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

function lineOffsets(text: string): (line: number, col: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (line, col) => (starts[line - 1] ?? 0) + col - 1;
}

import * as fs from 'node:fs';
import type { Check, Probe } from '../checks/types.js';
import type { Scenario, Step } from './types.js';

/**
 * The namespaces a scenario declares (`namespaces: [shop]`) and what they are on one lab. On a
 * cluster the lab owns (sim, kind, vagrant) `shop` is `shop`; on a shared cluster (kubeconfig
 * backend) each learner's lab gets a name of its own for it, so two learners never meet. The
 * engine resolves the scenario once per lab and everyone downstream (the session, the checks,
 * the TUI, the scripts) only ever sees real names.
 */

/** Declared name → the namespace it is on this lab. */
export type NamespaceMap = Readonly<Record<string, string>>;

/** `{{ns:shop}}`, spaces allowed inside the braces. */
const PLACEHOLDER = /\{\{\s*ns\s*:\s*([^{}]*?)\s*\}\}/g;

export function identityNamespaces(names: readonly string[]): NamespaceMap {
  return Object.fromEntries(names.map((n) => [n, n]));
}

/** The environment variable scripts read a namespace from: `shop` → `NS_SHOP`, `my-app` → `NS_MY_APP`. */
export function namespaceEnvName(name: string): string {
  return `NS_${name.toUpperCase().replace(/-/g, '_')}`;
}

/** `NS_<NAME>=<real name>` for every declared namespace. */
export function namespaceEnv(map: NamespaceMap): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [namespaceEnvName(k), v]));
}

/** Placeholders in `text` naming a namespace the scenario does not declare, with their offsets. */
export function unknownPlaceholders(
  text: string,
  declared: readonly string[],
): Array<{ offset: number; message: string }> {
  const out: Array<{ offset: number; message: string }> = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (declared.includes(name)) continue;
    const listed = declared.length
      ? `it declares ${declared.map((d) => `"${d}"`).join(', ')}`
      : 'it declares none';
    out.push({
      offset: m.index,
      message:
        name === ''
          ? `"${m[0]}" names no namespace; write {{ns:NAME}} with a name from the scenario's "namespaces" (${listed})`
          : `"${m[0]}" names namespace "${name}", which the scenario does not declare (${listed}); add it to "namespaces:" at the top of scenario.yaml`,
    });
  }
  return out;
}

/** Script variables `$NS_X` / `${NS_X}` for namespaces the scenario does not declare. */
export function unknownScriptVariables(
  text: string,
  declared: readonly string[],
): Array<{ offset: number; message: string }> {
  const known = new Set(declared.map(namespaceEnvName));
  const out: Array<{ offset: number; message: string }> = [];
  for (const m of text.matchAll(/\$\{?(NS_[A-Z0-9_]+)\b/g)) {
    if (known.has(m[1]!)) continue;
    out.push({
      offset: m.index,
      message: `$${m[1]} is never set: the scenario declares no namespace "${m[1]!.slice(3).toLowerCase().replace(/_/g, '-')}" (${declared.length ? `it declares ${declared.map((d) => `"${d}"`).join(', ')}` : 'it declares none'}); add it to "namespaces:" at the top of scenario.yaml`,
    });
  }
  return out;
}

/** `{{ns:shop}}` → the real name. */
export function substituteNamespaces(text: string, map: NamespaceMap): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => map[name] ?? whole);
}

/**
 * A solution as the learner reads it: `$NS_SHOP` and `${NS_SHOP}` written out, so the commands
 * can be copied into any shell.
 */
export function displayScript(text: string, map: NamespaceMap): string {
  const byVar = new Map(Object.entries(map).map(([k, v]) => [namespaceEnvName(k), v]));
  return substituteNamespaces(text, map).replace(
    /"\$\{?(NS_[A-Z0-9_]+)\}?"|\$\{(NS_[A-Z0-9_]+)\}|\$(NS_[A-Z0-9_]+)\b/g,
    (whole, a?: string, b?: string, c?: string) => byVar.get((a ?? b ?? c)!) ?? whole,
  );
}

/** Step Markdown with the real names, as the learner reads it. */
export function readStepMarkdown(scenario: Scenario, step: Step): string {
  return substituteNamespaces(fs.readFileSync(step.text, 'utf8'), scenario.namespaces);
}

/**
 * The scenario as it runs on a lab whose namespaces are `map` (a loaded scenario is already
 * resolved with each name as itself; resolving again starts from what was written): placeholders written out in every
 * string the learner or a check sees, and the `namespace:` fields (and a Namespace check's
 * `name:`) that name a declared namespace pointed at its real one.
 */
export function resolveScenario(resolvedOrNot: Scenario, map: NamespaceMap): Scenario {
  const scenario = resolvedOrNot.template ?? resolvedOrNot;
  const full = { ...identityNamespaces(Object.keys(scenario.namespaces)), ...map };
  const real = (ns: string) => full[ns] ?? ns;
  const str = (s: string) => substituteNamespaces(s, full);
  return {
    ...scenario,
    namespaces: full,
    template: scenario,
    steps: scenario.steps.map((s) => ({
      ...s,
      hints: s.hints.map(str),
      question: s.question && { ...s.question, prompt: str(s.question.prompt) },
      checks: s.checks.map((c) => mapProbes(deepSubstitute(c, str), real)),
    })),
  };
}

function mapProbes(c: Check, real: (ns: string) => string): Check {
  const probe = mapProbe(c.probe, real);
  return { ...c, probe };
}

function mapProbe(p: Probe, real: (ns: string) => string): Probe {
  switch (p.probe) {
    case 'answer':
      return 'probe' in p.from
        ? { ...p, from: { ...p.from, probe: mapProbe(p.from.probe, real) as never } }
        : p;
    case 'resource': {
      const isNamespace = p.apiVersion === 'v1' && p.kind === 'Namespace';
      return {
        ...p,
        namespace: p.namespace === undefined ? undefined : real(p.namespace),
        name: isNamespace && p.name !== undefined ? real(p.name) : p.name,
      };
    }
    case 'event':
    case 'podExec':
      return { ...p, namespace: real(p.namespace) };
    default:
      return p;
  }
}

/** A copy with `fn` applied to every string of plain objects and arrays (RegExps and the like kept). */
function deepSubstitute<T>(v: T, fn: (s: string) => string): T {
  if (typeof v === 'string') return fn(v) as T;
  if (Array.isArray(v)) return v.map((x) => deepSubstitute(x, fn)) as T;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepSubstitute(x, fn)])) as T;
  return v;
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { displayPath, loadScenario, SCENARIO_FILE } from '../../scenario/load.js';
import { COMPLETE } from '../../session/machine.js';
import type { TrustStore } from '../../session/trust.js';
import { progressFile } from '../../state/scenario-paths.js';
import type { Catalog, CatalogEntry, ScenarioProgressView } from './types.js';

/**
 * The scenarios Home offers: the built-in folder and any folders given on the command line,
 * each with the learner's progress on the chosen lab. Reading progress here never moves a
 * bad file aside — the runner does that, and says so — so Home has no side effects.
 */

/** Scenario folders under `roots`: a root with a scenario.yaml is one, otherwise its subfolders. */
export function findScenarioDirs(roots: string[]): string[] {
  const out: string[] = [];
  for (const root of roots) {
    if (fs.existsSync(path.join(root, SCENARIO_FILE))) {
      out.push(path.resolve(root));
      continue;
    }
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(root, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name)))
      if (e.isDirectory() && fs.existsSync(path.join(root, e.name, SCENARIO_FILE)))
        out.push(path.resolve(root, e.name));
  }
  return [...new Set(out)];
}

export function readCatalog(o: {
  roots: string[];
  stateDir: string;
  learner: string;
  lab: string;
  trust: TrustStore;
  cwd: string;
}): Catalog {
  const catalog: Catalog = { entries: [], invalid: [] };
  for (const dir of findScenarioDirs(o.roots)) {
    const r = loadScenario(dir);
    if (!r.ok) {
      catalog.invalid.push({ dir, fix: `clusterlab scenario validate ${displayPath(dir, o.cwd)}` });
      continue;
    }
    const s = r.scenario;
    const entry: CatalogEntry = {
      id: s.id,
      title: s.title,
      topic: s.topic,
      summary: s.summary,
      estimatedMinutes: s.estimatedMinutes,
      difficulty: s.difficulty,
      dir: s.dir,
      steps: s.steps.length,
      nodes: s.lab.nodes,
      backends: s.lab.backends,
      trusted: safe(() => o.trust.isTrusted(s.dir), false),
      progress: peekProgress(progressFile(o.stateDir, o.learner, o.lab, s.id), s.steps.length),
    };
    catalog.entries.push(entry);
  }
  catalog.entries.sort((a, b) => a.topic.localeCompare(b.topic) || a.title.localeCompare(b.title));
  return catalog;
}

function peekProgress(file: string, steps: number): ScenarioProgressView | undefined {
  try {
    const p = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof p?.currentStep !== 'string' || typeof p?.passed !== 'object' || p.passed === null)
      return undefined;
    const complete = p.currentStep === COMPLETE;
    return {
      passed: Math.min(steps, Object.keys(p.passed).length),
      currentStep: p.currentStep,
      complete,
      updatedAt: String(p.updatedAt ?? ''),
    };
  } catch {
    return undefined;
  }
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

/** Entries grouped by topic, in catalog order. */
export function byTopic(entries: CatalogEntry[]): Array<{ topic: string; entries: CatalogEntry[] }> {
  const groups: Array<{ topic: string; entries: CatalogEntry[] }> = [];
  for (const e of entries) {
    const g = groups.find((x) => x.topic === e.topic);
    if (g) g.entries.push(e);
    else groups.push({ topic: e.topic, entries: [e] });
  }
  return groups;
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { createBackend, DEFAULT_BACKEND } from '../../../backends/factory.js';
import type { LabCapability } from '../../../backends/types.js';
import { UserError } from '../../../errors.js';
import { displayPath, loadScenario, SCENARIO_FILE } from '../../../scenario/load.js';
import type { Scenario } from '../../../scenario/types.js';
import { installPaths } from '../../../state/install.js';
import { readLabHeader } from '../../../state/labs.js';
import { DEFAULT_LAB_NAME } from '../../../state/names.js';
import type { CommandContext } from '../../context.js';

/** The built-in scenarios folder of this install. */
export const builtinScenarios = (): string => path.join(installPaths().root, 'scenarios');

/**
 * Scenario folders from command-line paths: a folder with a scenario.yaml is one scenario; a
 * folder without one holds scenarios in its subfolders. A path with neither is returned as is,
 * so loading it says what is missing.
 */
export function scenarioDirs(paths: string[], cwd: string): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    if (path.basename(abs) === SCENARIO_FILE || fs.existsSync(path.join(abs, SCENARIO_FILE))) {
      out.push(path.basename(abs) === SCENARIO_FILE ? path.dirname(abs) : abs);
      continue;
    }
    const children = subScenarios(abs);
    out.push(...(children.length > 0 ? children : [abs]));
  }
  return [...new Set(out)];
}

function subScenarios(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, SCENARIO_FILE)))
      .map((e) => path.join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

/** Load scenarios, failing with every problem when one is invalid. */
export function loadAll(dirs: string[], ctx: CommandContext): Scenario[] {
  const bad: string[] = [];
  const ok: Scenario[] = [];
  for (const d of dirs) {
    const r = loadScenario(d);
    if (r.ok) ok.push(r.scenario);
    else bad.push(displayPath(d, ctx.io.cwd));
  }
  if (bad.length > 0)
    throw new UserError(
      `${bad.length === 1 ? 'this scenario is' : 'these scenarios are'} not valid: ${bad.join(', ')}`,
      {
        fix: `clusterlab scenario validate ${bad.join(' ')}`,
      },
    );
  return ok;
}

/** What the lab `name` (or, when there is none, the default backend) offers to scenarios. */
export async function capabilitiesOf(
  name: string | undefined,
  ctx: CommandContext,
): Promise<{ backend: string; capabilities: LabCapability[] }> {
  const lab = name ?? DEFAULT_LAB_NAME;
  const backendName = readLabHeader(ctx.stateDir, lab)?.backend ?? DEFAULT_BACKEND;
  const backend = await createBackend(backendName, ctx.labs);
  return { backend: backendName, capabilities: (await backend.capabilities?.(lab)) ?? [] };
}

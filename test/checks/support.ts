import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExecTarget, ProbeEnv, Reply } from '../../src/checks/env.js';
import type { Check, Verdict } from '../../src/checks/types.js';
import type { WatchHandle, WatchKey } from '../../src/kube/informers.js';
import { formatProblem, loadScenario } from '../../src/scenario/load.js';

/** Checks as an author writes them (the `checks:` list of one step), compiled by the real loader. */
export function checksFrom(checksYaml: string): Check[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-checks-'));
  try {
    fs.mkdirSync(path.join(dir, 'steps'));
    fs.mkdirSync(path.join(dir, 'solutions'));
    fs.writeFileSync(path.join(dir, 'steps', '01.md'), '# Step\n');
    fs.writeFileSync(path.join(dir, 'solutions', '01.sh'), 'true\n');
    const indented = checksYaml.replace(/^/gm, '      ');
    fs.writeFileSync(
      path.join(dir, 'scenario.yaml'),
      `format: 1\nid: t\ntitle: T\ntopic: t\nsummary: S\nestimatedMinutes: 1\ndifficulty: beginner\nsteps:\n  - id: s\n    title: S\n    text: steps/01.md\n    solution: solutions/01.sh\n    checks:\n${indented}\n`,
    );
    const r = loadScenario(dir);
    if (!r.ok) throw new Error(r.problems.map((p) => formatProblem(p)).join('\n'));
    return r.scenario.steps[0]!.checks;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface FakeCluster {
  env: ProbeEnv;
  /** Replace the objects of a kind (in a namespace) and fire the watch, as an informer would. */
  set(key: WatchKey, objects: unknown[]): void;
  fail(key: WatchKey, error: string): void;
  /** Watches acquired and not released. */
  open(): string[];
  nodes: ExecTarget[];
  podExecCalls: string[];
  podExecReply: (
    ns: string,
    pod: string,
    container: string,
    cmd: string[],
  ) => { stdout: string; stderr: string; exitCode: number };
  http: (url: string) => Reply;
}

const id = (k: WatchKey) => `${k.apiVersion}|${k.kind}|${k.namespace ?? '*'}`;

export function fakeCluster(
  capabilities: Array<'nodeExec' | 'podExec'> = ['nodeExec', 'podExec'],
): FakeCluster {
  const data = new Map<string, unknown[]>();
  const errors = new Map<string, string>();
  const listeners = new Map<string, Set<() => void>>();
  const fc: FakeCluster = {
    nodes: [],
    podExecCalls: [],
    podExecReply: () => ({ stdout: '', stderr: 'no such command', exitCode: 127 }),
    http: () => ({ status: 404, body: '', headers: {} }),
    env: {
      watch(key, onChange): WatchHandle {
        const k = id(key);
        if (!listeners.has(k)) listeners.set(k, new Set());
        listeners.get(k)!.add(onChange);
        return {
          list: () => (data.get(k) ?? []) as never,
          get synced() {
            return data.has(k);
          },
          get error() {
            return errors.get(k);
          },
          release: () => listeners.get(k)!.delete(onChange),
        };
      },
      nodes: async () => fc.nodes,
      podExec: async (ns, pod, container, cmd) => {
        fc.podExecCalls.push(`${ns}/${pod}/${container}: ${cmd.join(' ')}`);
        return fc.podExecReply(ns, pod, container, cmd);
      },
      apiRequest: async (_m, p) => fc.http(`api:${p}`),
      fetch: async (url) => fc.http(url),
      capabilities: new Set(capabilities),
    },
    set(key, objects) {
      data.set(id(key), objects);
      errors.delete(id(key));
      for (const l of listeners.get(id(key)) ?? []) l();
    },
    fail(key, error) {
      errors.set(id(key), error);
      for (const l of listeners.get(id(key)) ?? []) l();
    },
    open: () => [...listeners.entries()].filter(([, s]) => s.size > 0).map(([k]) => k),
  };
  return fc;
}

/** Collect verdicts; `last(id)` is the latest for a check. */
export function verdicts() {
  const all: Verdict[] = [];
  return {
    all,
    emit: (v: Verdict) => all.push(v),
    last: (checkId: string) => all.filter((v) => v.checkId === checkId).at(-1),
    count: (checkId: string) => all.filter((v) => v.checkId === checkId).length,
  };
}

/** Wait for a condition, polling (never a fixed sleep). */
export async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

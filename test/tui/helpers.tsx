import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { connect } from '../../src/kube/index.js';
import { requireScenario } from '../../src/scenario/load.js';
import { displayScript, substituteNamespaces } from '../../src/scenario/namespaces.js';
import { probeEnv } from '../../src/session/lab-env.js';
import { createSessionActor, scriptEnv } from '../../src/session/session.js';
import { createClusterFeed, scenarioNamespaces } from '../../src/tui/services/cluster-feed.js';
import type { RunnerSession } from '../../src/tui/services/types.js';
import { createTheme, ThemeContext } from '../../src/tui/theme.js';
import type { TestLab } from '../helpers/sim.js';

export const SAMPLE = path.resolve(import.meta.dirname, '../fixtures/scenarios/sample');

type Rendered = ReturnType<typeof render>;

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

export const plain = (s: string | undefined): string => (s ?? '').replace(ANSI, '');

/** The last frame without styling. */
export const frame = (r: Rendered): string => plain(r.lastFrame());

/** Wait until the frame shows what `pred` wants, polling (never a fixed sleep). */
export async function waitForFrame(
  r: Rendered,
  pred: (text: string) => boolean,
  timeoutMs = 15_000,
): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const text = frame(r);
    if (pred(text)) return text;
    if (Date.now() > end) throw new Error(`the frame never matched; the last one was:\n${text}`);
    await new Promise((res) => setTimeout(res, 10));
  }
}

export const shows = (r: Rendered, needle: string | RegExp, timeoutMs?: number) =>
  waitForFrame(r, (t) => (typeof needle === 'string' ? t.includes(needle) : needle.test(t)), timeoutMs);

/** Write keys, one event per key (escape sequences stay whole). */
export async function press(r: Rendered, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    r.stdin.write(k);
    await new Promise((res) => setTimeout(res, 5));
  }
}

export const KEY = {
  esc: '\x1b',
  enter: '\r',
  ctrlC: '\x03',
  right: '\x1b[C',
  left: '\x1b[D',
  down: '\x1b[B',
  up: '\x1b[A',
};

export const themed = (el: ReactElement, color = false) => (
  <ThemeContext.Provider value={createTheme(color)}>{el}</ThemeContext.Provider>
);

/**
 * A learner's session on a test lab, made from the same parts the app uses (the scenario's
 * machine with the real evaluator, the cluster feed) without a state directory.
 */
export function sessionOn(lab: TestLab, dir = SAMPLE): RunnerSession {
  const scenario = requireScenario(dir);
  const kube = connect(lab.kubeconfig);
  const handle = { nodes: async () => [], capabilities: new Set<never>() };
  const actor = createSessionActor({
    scenario,
    probes: probeEnv(kube, handle),
    scripts: { env: scriptEnv(process.env, scenario, lab.kubeconfig, 'lab'), timeoutMs: 30_000 },
  });
  actor.start();
  const feed = createClusterFeed(kube, scenarioNamespaces(scenario), 20);
  const read = (f?: string) => (f ? readFileSync(f, 'utf8') : '');
  return {
    scenario,
    lab: { name: 'lab', backend: 'sim', kubeconfig: lab.kubeconfig, capabilities: new Set() },
    actor,
    startedAt: new Date().toISOString(),
    stepMarkdown: (id) =>
      substituteNamespaces(read(scenario.steps.find((s) => s.id === id)?.text), scenario.namespaces),
    solutionText: (id) =>
      displayScript(read(scenario.steps.find((s) => s.id === id)?.solution), scenario.namespaces),
    cluster: feed,
    onNotice: () => () => undefined,
    runShell: async () => 0,
    async close() {
      actor.stop();
      feed.close();
      await kube.close();
    },
  };
}

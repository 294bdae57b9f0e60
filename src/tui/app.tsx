import { Box, Text, useApp, useInput, useWindowSize } from 'ink';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { UpResult } from '../backends/types.js';
import { UserError } from '../errors.js';
import { KeyHints } from './components/key-hints.js';
import type { Keymap } from './keys.js';
import { actionFor } from './keys.js';
import { Completion } from './screens/completion/completion.js';
import { Home } from './screens/home/home.js';
import { LabUp } from './screens/lab-up/lab-up.js';
import { Runner } from './screens/runner/runner.js';
import { summary } from './screens/runner/view-model.js';
import type { CatalogEntry, RunnerSession, TuiServices, UpRequest } from './services/types.js';
import { useTheme } from './theme.js';

/**
 * The router: one screen at a time, each a state of this component. Screens never talk to a
 * cluster; they get data and callbacks. What the app opened (sessions) is registered with
 * `resources`, so the command closes it however the app ends.
 */

export type Route =
  | { screen: 'home'; flash?: string }
  | { screen: 'lab-up'; request: UpRequest; scenarioDir?: string; from: 'home' | 'start' }
  | { screen: 'opening'; scenarioDir: string; lab: string; from: 'home' | 'start' }
  | { screen: 'runner'; session: RunnerSession }
  | { screen: 'completion'; session: RunnerSession }
  | { screen: 'error'; message: string; fix?: string };

export interface AppExit {
  /** The lab and scenario the learner was on when they quit, for the parting words. */
  lab?: string;
  scenarioId?: string;
  scenarioDir?: string;
  /** Why the app ended by itself (a cancelled or failed start). */
  error?: Error;
  cancelled?: boolean;
}

export interface Resources {
  add(closeable: { close(): Promise<void> }): void;
}

export interface AppProps {
  services: TuiServices;
  initial: Route;
  /** The lab Home works with. */
  lab: string;
  resources: Resources;
  /** A fixed size (tests); otherwise the terminal's, following resizes. */
  size?: { columns: number; rows: number };
}

export function App({ services, initial, lab, resources, size }: AppProps) {
  const { exit } = useApp();
  const window = useWindowSize();
  const columns = size?.columns ?? window.columns;
  const rows = size?.rows ?? window.rows;
  const [route, setRoute] = useState<Route>(initial);

  const startEntry = useCallback(
    async (e: CatalogEntry, backend: string) => {
      try {
        const state = await services.labState(lab);
        if (state === 'running') setRoute({ screen: 'opening', scenarioDir: e.dir, lab, from: 'home' });
        else
          setRoute({
            screen: 'lab-up',
            request: { lab, backend: state === 'absent' ? backend : undefined, nodes: e.nodes },
            scenarioDir: e.dir,
            from: 'home',
          });
      } catch (err) {
        setRoute(errorRoute(err));
      }
    },
    [services, lab],
  );

  const leaveSession = (s: RunnerSession, next: Route) => {
    void s.close();
    setRoute(next);
  };
  const sessionExit = (s: RunnerSession) =>
    exit({ lab: s.lab.name, scenarioId: s.scenario.id, scenarioDir: s.scenario.dir } satisfies AppExit);

  switch (route.screen) {
    case 'home':
      return (
        <Home
          services={services}
          lab={lab}
          columns={columns}
          rows={rows}
          isActive
          flash={route.flash}
          onStart={(e, b) => void startEntry(e, b)}
          onQuit={() => exit({ lab } satisfies AppExit)}
        />
      );
    case 'lab-up':
      return (
        <LabUp
          services={services}
          request={route.request}
          columns={columns}
          rows={rows}
          isActive
          onReady={(r: UpResult) => {
            if (route.scenarioDir)
              setRoute({ screen: 'opening', scenarioDir: route.scenarioDir, lab: r.name, from: route.from });
            else setRoute({ screen: 'home' });
          }}
          onFail={(error, cancelled) => {
            if (route.from === 'start') exit({ lab: route.request.lab, error, cancelled } satisfies AppExit);
            else if (cancelled)
              setRoute({ screen: 'home', flash: 'Cancelled; the backend removed what it had made' });
            else setRoute(errorRoute(error));
          }}
        />
      );
    case 'opening':
      return (
        <Opening
          route={route}
          services={services}
          onOpen={(session) => {
            resources.add(session);
            setRoute({ screen: 'runner', session });
          }}
          onFail={(error) =>
            route.from === 'start'
              ? exit({ lab: route.lab, error } satisfies AppExit)
              : setRoute(errorRoute(error))
          }
        />
      );
    case 'runner':
      return (
        <Runner
          key={route.session.scenario.id}
          session={route.session}
          columns={columns}
          rows={rows}
          isActive
          onQuit={() => sessionExit(route.session)}
          onComplete={() => setRoute({ screen: 'completion', session: route.session })}
        />
      );
    case 'completion': {
      const s = route.session;
      const ctx = s.actor.getSnapshot().context;
      const sum = summary(ctx, s.scenario);
      const others = services
        .catalog(s.lab.name)
        .entries.filter((e) => e.id !== s.scenario.id && !e.progress?.complete)
        .sort((a, b) => Number(b.topic === s.scenario.topic) - Number(a.topic === s.scenario.topic));
      return (
        <Completion
          title={s.scenario.title}
          scenarioId={s.scenario.id}
          lab={s.lab.name}
          tookMs={(sum.finishedAt ?? Date.now()) - Date.parse(s.startedAt)}
          hints={sum.hints}
          solutions={sum.solutions}
          skipped={sum.skipped}
          next={others}
          cmd={services.cmd}
          columns={columns}
          rows={rows}
          isActive
          onHome={() => leaveSession(s, { screen: 'home' })}
          onReview={() => {
            const lastStep = s.scenario.steps.at(-1)!;
            s.actor.send({ type: 'GO_TO', stepId: lastStep.id });
            setRoute({ screen: 'runner', session: s });
          }}
          onQuit={() => sessionExit(s)}
        />
      );
    }
    case 'error':
      return (
        <ErrorScreen
          message={route.message}
          fix={route.fix ? services.cmd(route.fix) : undefined}
          columns={columns}
          rows={rows}
          onHome={() => setRoute({ screen: 'home' })}
          onQuit={() => exit({ lab } satisfies AppExit)}
        />
      );
  }
}

function errorRoute(err: unknown): Route {
  const e = err instanceof Error ? err : new Error(String(err));
  return { screen: 'error', message: e.message, fix: e instanceof UserError ? e.fix : undefined };
}

function Opening({
  route,
  services,
  onOpen,
  onFail,
}: {
  readonly route: Extract<Route, { screen: 'opening' }>;
  readonly services: TuiServices;
  onOpen(s: RunnerSession): void;
  onFail(e: Error): void;
}) {
  const theme = useTheme();
  // Open once per route; the router passes new callbacks on every render.
  const done = useRef({ onOpen, onFail });
  done.current = { onOpen, onFail };
  useEffect(() => {
    const ac = new AbortController();
    let live = true;
    let opened = false;
    services.openRunner(route.scenarioDir, route.lab, ac.signal).then(
      (s) => {
        opened = true;
        if (live) done.current.onOpen(s);
        else void s.close();
      },
      (e: Error) => live && done.current.onFail(e),
    );
    return () => {
      live = false;
      // The signal also stops the session's scripts: abort only an opening that is still under way.
      if (!opened) ac.abort();
    };
  }, [route, services]);
  return (
    <Box flexDirection="column">
      <Text {...theme.title}>Opening the scenario on lab "{route.lab}"…</Text>
      <Text {...theme.muted}>connecting to the lab, loading your progress, running the scenario's setup</Text>
    </Box>
  );
}

const ERROR_KEYS: Keymap<'home' | 'quit'> = [
  { keys: ['h', 'enter'], action: 'home', hint: 'home', help: 'back to Home' },
  { keys: ['q', 'ctrl-c', 'esc'], action: 'quit', hint: 'quit', help: 'quit' },
];

function ErrorScreen(p: {
  readonly message: string;
  readonly fix?: string;
  readonly columns: number;
  readonly rows: number;
  onHome(): void;
  onQuit(): void;
}) {
  const theme = useTheme();
  useInput((input, key) => {
    const a = actionFor(ERROR_KEYS, input, key);
    if (a === 'home') p.onHome();
    else if (a === 'quit') p.onQuit();
  });
  return (
    <Box flexDirection="column" width={p.columns} height={p.rows}>
      <Text {...theme.bad}>Something went wrong</Text>
      <Text> </Text>
      <Text>{p.message}</Text>
      {p.fix ? (
        <Text>
          <Text {...theme.muted}>fix: </Text>
          <Text {...theme.key}>{p.fix}</Text>
        </Text>
      ) : null}
      <Box flexGrow={1} />
      <KeyHints keymap={ERROR_KEYS} width={p.columns} />
    </Box>
  );
}

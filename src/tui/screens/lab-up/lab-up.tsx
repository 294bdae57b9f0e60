import { Box, Text, useInput } from 'ink';
import { useEffect, useReducer, useRef, useState } from 'react';
import type { UpResult } from '../../../backends/types.js';
import { HelpOverlay } from '../../components/help-overlay.js';
import { KeyHints } from '../../components/key-hints.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { formatElapsed, useClock } from '../../hooks/use-clock.js';
import { actionFor, type Keymap } from '../../keys.js';
import type { TuiServices, UpRequest } from '../../services/types.js';
import { MARK, useTheme } from '../../theme.js';
import { emptyModel, labUpReducer, progressTo } from './lab-up-state.js';

type LabUpAction = 'log' | 'cancel' | 'help';

const KEYS: Keymap<LabUpAction> = [
  { keys: ['l'], action: 'log', hint: 'log', help: "show or hide the backend's raw log" },
  {
    keys: ['ctrl-c', 'esc'],
    action: 'cancel',
    hint: 'cancel',
    help: 'cancel: the backend removes what it half-made',
  },
  { keys: ['?'], action: 'help', hint: 'help', help: 'show these keys' },
];

export interface LabUpProps {
  services: TuiServices;
  request: UpRequest;
  columns: number;
  rows: number;
  isActive: boolean;
  onReady(result: UpResult): void;
  /** Cancelled (after the backend cleaned up) or failed: the error says which. */
  onFail(error: Error, cancelled: boolean): void;
}

/** Lab up: the backend's phases with a bar and a clock, the raw log on `l`, Ctrl-C cancels cleanly. */
export function LabUp({ services, request, columns, rows, isActive, onReady, onFail }: LabUpProps) {
  const theme = useTheme();
  const [model, dispatch] = useReducer(labUpReducer, emptyModel);
  const [showLog, setShowLog] = useState(false);
  const [help, setHelp] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [startedAt] = useState(Date.now);
  const abort = useRef<AbortController>(undefined);
  const now = useClock(1_000, isActive);
  // The router passes new callbacks on every render; the lab must come up once, not on each.
  const done = useRef({ onReady, onFail });
  done.current = { onReady, onFail };

  useEffect(() => {
    const ac = new AbortController();
    abort.current = ac;
    const stopLog = services.onLog((line) => dispatch({ type: 'log', line }));
    services.upLab(request, progressTo(dispatch), ac.signal).then(
      (r) => !ac.signal.aborted && done.current.onReady(r),
      (e: Error) => done.current.onFail(e, ac.signal.aborted),
    );
    return () => {
      stopLog();
      ac.abort();
    };
  }, [services, request]);

  useInput(
    (input, key) => {
      if (help) {
        if (key.escape || input === '?') setHelp(false);
        return;
      }
      const a = actionFor(KEYS, input, key);
      if (a === 'log') setShowLog((s) => !s);
      else if (a === 'help') setHelp(true);
      else if (a === 'cancel' && !cancelling) {
        setCancelling(true);
        abort.current?.abort();
      }
    },
    { isActive },
  );

  const logRoom = Math.max(3, rows - model.phases.length - 7);
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Text wrap="truncate-end">
        <Text {...theme.title}>Bringing up lab "{request.lab}"</Text>
        <Text {...theme.muted}>
          {' '}
          │ {request.backend ?? 'its'} backend │ {formatElapsed(now - startedAt)}
        </Text>
      </Text>
      <Text> </Text>
      {help ? (
        <HelpOverlay title="lab up" keymap={KEYS} />
      ) : (
        <>
          {model.phases.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: phases only grow, in order
            <Text key={i} wrap="truncate-end">
              <Text {...(p.state === 'ok' ? theme.ok : p.state === 'failed' ? theme.bad : theme.busy)}>
                {p.state === 'ok' ? MARK.passed : p.state === 'failed' ? MARK.failing : MARK.pending}
              </Text>{' '}
              {p.title}
              {p.note ? <Text {...theme.muted}> — {p.note}</Text> : null}
              <Text {...theme.muted}> {formatElapsed((p.endedAt ?? now) - p.startedAt)}</Text>
            </Text>
          ))}
          {model.phases.length === 0 ? <Text {...theme.muted}>starting…</Text> : null}
          <Text> </Text>
          <ProgressBar percent={model.percent} width={Math.min(60, columns)} />
          {showLog ? (
            <Box flexDirection="column" marginTop={1} height={logRoom} overflow="hidden">
              <Text {...theme.title}>Log</Text>
              {model.log.length === 0 ? <Text {...theme.muted}>(nothing logged yet)</Text> : null}
              {model.log.slice(-(logRoom - 1)).map((l, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: log lines are positional
                <Text key={i} wrap="truncate-end" {...theme.muted}>
                  {l}
                </Text>
              ))}
            </Box>
          ) : null}
        </>
      )}
      <Box flexGrow={1} />
      <Text wrap="truncate-end" {...(cancelling ? theme.warn : theme.muted)}>
        {cancelling ? 'Cancelling: the backend is removing what it made…' : ' '}
      </Text>
      <KeyHints keymap={help ? [] : KEYS} width={columns} />
    </Box>
  );
}

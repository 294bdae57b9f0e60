import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Flash, type FlashMessage } from '../../components/flash.js';
import { HelpOverlay } from '../../components/help-overlay.js';
import { KeyHints } from '../../components/key-hints.js';
import { maxOffset } from '../../components/markdown-view.js';
import { sameJson, useActorSelector } from '../../hooks/use-actor.js';
import { formatMinutes, useClock } from '../../hooks/use-clock.js';
import { useClusterView } from '../../hooks/use-feed.js';
import { actionFor } from '../../keys.js';
import { renderMarkdown } from '../../markdown/render.js';
import type { RunnerSession } from '../../services/types.js';
import { useTheme } from '../../theme.js';
import { AnswerLine, ConfirmLine, SolutionView } from './overlays.js';
import { RunnerBody, runnerLayout } from './runner-body.js';
import {
  CONFIRM_TEXT,
  type Confirm,
  initialUi,
  type RunnerAction,
  runnerKeymap,
  uiReducer,
} from './runner-state.js';
import { answerChecks, runnerView } from './view-model.js';

export interface RunnerProps {
  session: RunnerSession;
  columns: number;
  rows: number;
  isActive: boolean;
  onQuit(): void;
  onComplete(): void;
}

/** The scenario runner: the step, its live checks, the cluster, and keys to get help or move on. */
export function Runner({ session, columns, rows, isActive, onQuit, onComplete }: RunnerProps) {
  const theme = useTheme();
  const { suspendTerminal } = useApp();
  const { stdout } = useStdout();
  const { scenario, actor } = session;
  const view = useActorSelector(actor, (s) => runnerView(s, scenario, session.lab.capabilities), sameJson);
  const cluster = useClusterView(session.cluster);
  const [ui, dispatch] = useReducer(uiReducer, initialUi);
  const [flash, setFlash] = useState<FlashMessage | undefined>(
    session.notice ? { text: session.notice, level: 'error' } : undefined,
  );
  const now = useClock(60_000, isActive);
  const step = scenario.steps[view.stepIndex];
  const hints = step?.hints ?? [];
  const answers = answerChecks(scenario, view.stepId);
  const keymap = useMemo(
    () => runnerKeymap({ hasAnswer: answers.length > 0, hasHints: hints.length > 0 }),
    [answers.length, hints.length],
  );
  const layout = runnerLayout(columns, rows, view, hints.slice(0, view.hintsUsed));
  const md = useMemo(
    () => (view.stepId ? renderMarkdown(session.stepMarkdown(view.stepId), layout.right) : undefined),
    [view.stepId, layout.right, session],
  );
  const lines = md?.lines ?? [];
  const scroll = ui.scrollStep === view.stepId ? ui.scroll : 0;

  useEffect(() => session.onNotice((text) => setFlash({ text, level: 'error' })), [session]);
  const completeRef = useRef(onComplete);
  completeRef.current = onComplete;
  useEffect(() => {
    if (view.phase === 'complete') completeRef.current();
  }, [view.phase]);
  const passedBefore = useRef(view.passedIds);
  useEffect(() => {
    const fresh = view.passedIds.filter((id) => !passedBefore.current.includes(id));
    passedBefore.current = view.passedIds;
    const s = scenario.steps.findIndex((x) => x.id === fresh[0]);
    if (s >= 0) setFlash({ text: `✓ Step ${s + 1} passed: ${scenario.steps[s]!.title}`, level: 'info' });
  }, [view.passedIds, scenario]);

  const confirmed = (what: Confirm) => {
    dispatch({ type: 'close' });
    if (what === 'solution') {
      actor.send({ type: 'SOLUTION_SHOWN' });
      dispatch({ type: 'open', overlay: { kind: 'solution' } });
    } else if (what === 'reset') {
      actor.send({ type: 'RESET_STEP' });
      setFlash({ text: 'Step reset: its checks start over', level: 'info' });
    } else {
      actor.send({ type: 'SKIP' });
      setFlash({ text: `Skipped step ${view.stepIndex + 1}`, level: 'info' });
    }
  };

  const openShell = async () => {
    let code = 0;
    try {
      await suspendTerminal(async () => {
        stdout.write(
          `\nA shell for lab "${session.lab.name}" (KUBECONFIG=${session.lab.kubeconfig}).\n` +
            'Type exit to return to the scenario.\n',
        );
        code = await session.runShell();
      });
      setFlash({ text: `Back from the shell (exit ${code})`, level: 'info' });
    } catch (e) {
      setFlash({ text: (e as Error).message, level: 'error' });
    }
  };

  const act = (a: RunnerAction) => {
    const page = Math.max(1, layout.text - 1);
    const max = maxOffset(lines.length, layout.text);
    const last = view.stepIndex === scenario.steps.length - 1;
    switch (a) {
      case 'quit':
        return onQuit();
      case 'help':
        return dispatch({ type: 'open', overlay: { kind: 'help' } });
      case 'up':
      case 'down':
      case 'pgup':
      case 'pgdn': {
        const by = { up: -1, down: 1, pgup: -page, pgdn: page }[a];
        return dispatch({ type: 'scroll', by, max, step: view.stepId });
      }
      case 'hint':
        if (view.hintsUsed >= hints.length)
          return setFlash({ text: 'No more hints for this step; v shows the solution', level: 'info' });
        return actor.send({ type: 'HINT' });
      case 'solution':
        if (view.solutionShown) return dispatch({ type: 'open', overlay: { kind: 'solution' } });
        return dispatch({ type: 'open', overlay: { kind: 'confirm', what: 'solution' } });
      case 'reset':
        return dispatch({ type: 'open', overlay: { kind: 'confirm', what: 'reset' } });
      case 'answer': {
        const open =
          answers.find((q) => view.checks.find((c) => c.id === q.id)?.status !== 'passed') ?? answers[0];
        if (open) dispatch({ type: 'open', overlay: { kind: 'answer', checkId: open.id, text: '' } });
        return;
      }
      case 'next':
        if (view.stepId && view.passedIds.includes(view.stepId)) {
          if (last) return onComplete();
          return actor.send({ type: 'GO_TO', stepId: scenario.steps[view.stepIndex + 1]!.id });
        }
        return dispatch({ type: 'open', overlay: { kind: 'confirm', what: 'skip' } });
      case 'prev':
        if (view.stepIndex > 0) actor.send({ type: 'GO_TO', stepId: scenario.steps[view.stepIndex - 1]!.id });
        return;
      case 'copy': {
        const text = md?.commands.join('\n') ?? '';
        if (!text) return setFlash({ text: 'This step has no commands to copy', level: 'info' });
        stdout.write(`\x1b]52;c;${Buffer.from(text).toString('base64')}\x07`);
        const n = md!.commands.length;
        return setFlash({
          text: `Copied ${n} command${n === 1 ? '' : 's'} (OSC 52: your terminal must allow it)`,
          level: 'info',
        });
      }
      case 'shell':
        void openShell();
        return;
    }
  };

  useInput(
    (input, key) => {
      const o = ui.overlay;
      if (o.kind === 'confirm') {
        if (input === 'y' || input === 'Y') confirmed(o.what);
        else if (input === 'n' || input === 'N' || key.escape) dispatch({ type: 'close' });
        else if (key.ctrl && input === 'c') onQuit();
        return;
      }
      if (o.kind === 'answer') {
        if (key.escape) return dispatch({ type: 'close' });
        if (key.ctrl && input === 'c') return onQuit();
        if (key.return) {
          const choices = answers.find((q) => q.id === o.checkId)?.choices;
          const picked = choices && /^\d+$/.test(o.text) ? choices[Number(o.text) - 1] : undefined;
          const value = (picked ?? o.text).trim();
          dispatch({ type: 'close' });
          if (value) {
            actor.send({ type: 'ANSWER', checkId: o.checkId, value });
            setFlash({ text: `Answered: ${value}`, level: 'info' });
          }
          return;
        }
        if (key.backspace || key.delete) return dispatch({ type: 'erase' });
        if (input && !key.ctrl && !key.meta) dispatch({ type: 'type', text: input });
        return;
      }
      if (o.kind !== 'none') {
        if (key.escape || input === '?' || input === 'q' || (o.kind === 'solution' && input === 'v'))
          dispatch({ type: 'close' });
        else if (key.ctrl && input === 'c') onQuit();
        return;
      }
      const a = actionFor(keymap, input, key);
      if (a) {
        if (flash && a !== 'up' && a !== 'down') setFlash(undefined);
        act(a);
      }
    },
    { isActive },
  );

  const elapsed = formatMinutes(now - Date.parse(session.startedAt));
  const stepNo = view.stepIndex >= 0 ? `step ${view.stepIndex + 1}/${scenario.steps.length}` : 'complete';
  const o = ui.overlay;
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Box height={1}>
        <Text wrap="truncate-end">
          <Text {...theme.title}>{scenario.title}</Text>
          <Text {...theme.muted}>
            {' '}
            │ {stepNo} │ lab {session.lab.name} ({session.lab.backend}) │ {elapsed}
          </Text>
        </Text>
      </Box>
      {o.kind === 'help' ? (
        <Box height={layout.body} flexDirection="column">
          <HelpOverlay
            title="scenario"
            keymap={keymap}
            notes={['Checks run by themselves as the cluster changes: just work in another terminal.']}
          />
        </Box>
      ) : o.kind === 'solution' && view.stepId ? (
        <SolutionView text={session.solutionText(view.stepId)} width={columns} height={layout.body} />
      ) : (
        <RunnerBody
          view={view}
          text={lines}
          scroll={scroll}
          hints={hints}
          cluster={cluster}
          columns={columns}
          rows={rows}
        />
      )}
      {o.kind === 'confirm' ? (
        <ConfirmLine text={CONFIRM_TEXT[o.what]} />
      ) : o.kind === 'answer' ? (
        <AnswerLine
          prompt={answers.find((q) => q.id === o.checkId)?.prompt ?? ''}
          choices={answers.find((q) => q.id === o.checkId)?.choices}
          text={o.text}
        />
      ) : (
        <Flash message={flash} />
      )}
      <KeyHints keymap={o.kind === 'none' ? keymap : []} width={columns} />
    </Box>
  );
}

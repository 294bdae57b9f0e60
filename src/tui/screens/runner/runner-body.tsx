import { Box, Text } from 'ink';
import { CheckList, checkListHeight } from '../../components/check-list.js';
import { ClusterPanel } from '../../components/cluster-panel.js';
import { MarkdownView } from '../../components/markdown-view.js';
import { StepList } from '../../components/step-list.js';
import type { Line } from '../../markdown/lines.js';
import type { ClusterView } from '../../services/types.js';
import { useTheme } from '../../theme.js';
import type { RunnerView } from './view-model.js';

/** Sizes of the runner's parts for a terminal of `columns` × `rows`. */
export function runnerLayout(columns: number, rows: number, view: RunnerView, hints: string[]) {
  const body = Math.max(6, rows - 3);
  const left = Math.min(30, Math.max(18, Math.floor(columns * 0.3)));
  const right = Math.max(20, columns - left - 2);
  const checks = Math.min(checkListHeight(view.checks), Math.max(2, Math.floor(body / 2)));
  // Hints wrap: each takes the lines its text needs at this width ("Hint 1/3: " included).
  const hintLines = hints.reduce((n, h) => n + Math.ceil((h.length + 11) / right), 0);
  const notes = Math.min(hintLines + (view.scriptError ? 1 : 0), Math.floor(body / 3));
  const text = Math.max(3, body - checks - notes - 1);
  const steps = Math.min(view.steps.length, Math.max(3, body - 5));
  return { body, left, right, checks, notes, text, steps, cluster: body - steps - 1 };
}

export function RunnerBody({
  view,
  text,
  scroll,
  hints,
  cluster,
  columns,
  rows,
}: {
  readonly view: RunnerView;
  readonly text: Line[];
  readonly scroll: number;
  readonly hints: string[];
  readonly cluster: ClusterView;
  readonly columns: number;
  readonly rows: number;
}) {
  const theme = useTheme();
  const shown = hints.slice(0, view.hintsUsed);
  const l = runnerLayout(columns, rows, view, shown);
  const phaseNote =
    view.phase === 'preparing'
      ? 'setting up the step…'
      : view.phase === 'finishing'
        ? 'passed — cleaning up, then on to the next step…'
        : undefined;
  return (
    <Box height={l.body}>
      <Box flexDirection="column" width={l.left} marginRight={1}>
        <Text {...theme.title}>Steps</Text>
        <Box height={l.steps} overflow="hidden">
          <StepList steps={l.steps < view.steps.length ? window(view) : view.steps} width={l.left} />
        </Box>
        <ClusterPanel view={cluster} width={l.left} height={l.cluster} />
      </Box>
      <Box flexDirection="column" width={l.right}>
        <MarkdownView lines={text} offset={scroll} height={l.text} />
        {shown.map((h, i) => (
          <Text key={h}>
            <Text {...theme.warn}>
              Hint {i + 1}/{hints.length}:
            </Text>{' '}
            {h}
          </Text>
        ))}
        {view.scriptError ? (
          <Text wrap="truncate-end" {...theme.bad}>
            The step's script failed: {view.scriptError}
          </Text>
        ) : null}
        <Text wrap="truncate-end" {...theme.title}>
          Checks{phaseNote ? <Text {...theme.busy}> — {phaseNote}</Text> : null}
        </Text>
        <Box height={l.checks} overflow="hidden">
          <CheckList checks={view.checks} width={l.right} />
        </Box>
      </Box>
    </Box>
  );
}

/** The steps around the current one, when not all fit. */
function window(view: RunnerView) {
  const i = Math.max(0, view.stepIndex);
  return view.steps.slice(Math.max(0, i - 2));
}

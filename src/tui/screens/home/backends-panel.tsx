import { Box, Text } from 'ink';
import type { BackendReadiness, LabRow } from '../../services/types.js';
import { MARK, useTheme } from '../../theme.js';

/** Each backend with its preflight: ready, or what is missing and the command that fixes it. */
export function BackendsPanel({
  backends,
  chosen,
  width,
}: {
  readonly backends?: BackendReadiness[];
  readonly chosen: string;
  readonly width: number;
}) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width}>
      <Text {...theme.title}>Backends</Text>
      {!backends ? <Text {...theme.muted}>checking what this machine has…</Text> : null}
      {backends?.map((b) => {
        const [mark, look] =
          b.state === 'ready'
            ? [MARK.passed, theme.ok]
            : b.state === 'limited'
              ? [MARK.passed, theme.warn]
              : [MARK.failing, theme.bad];
        const issue = b.issues.find((i) => i.blocking) ?? b.issues[0];
        return (
          <Box key={b.name} flexDirection="column">
            <Text wrap="truncate-end">
              <Text {...look}>{mark}</Text>{' '}
              <Text {...(b.name === chosen ? theme.selected : {})}>{b.name.padEnd(10)}</Text>{' '}
              <Text {...theme.muted}>{b.what}</Text>
            </Text>
            {issue ? (
              <Text wrap="truncate-end" {...theme.muted}>
                {'  '}
                {issue.problem}
                {issue.fix ? ` → ${issue.fix}` : ''}
              </Text>
            ) : null}
          </Box>
        );
      })}
    </Box>
  );
}

export function LabsPanel({ labs, width }: { readonly labs?: LabRow[]; readonly width: number }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width}>
      <Text {...theme.title}>Labs</Text>
      {!labs ? <Text {...theme.muted}>looking…</Text> : null}
      {labs?.length === 0 ? <Text {...theme.muted}>none yet: starting a scenario makes one</Text> : null}
      {labs?.map((l) => (
        <Text key={l.name} wrap="truncate-end">
          <Text {...(l.state === 'running' ? theme.ok : theme.warn)}>
            {l.state === 'running' ? MARK.passed : MARK.pending}
          </Text>{' '}
          {l.name} <Text {...theme.muted}>{l.backend}</Text> {l.state}
          {l.nodes ? <Text {...theme.muted}> {l.nodes} nodes</Text> : null}
        </Text>
      ))}
    </Box>
  );
}

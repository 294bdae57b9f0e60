import { Box, Text } from 'ink';
import type { ClusterView } from '../services/types.js';
import { useTheme } from '../theme.js';

/** Nodes and the scenario's pods with their status, in `height` lines. */
export function ClusterPanel({
  view,
  width,
  height,
}: {
  readonly view: ClusterView;
  readonly width: number;
  readonly height: number;
}) {
  const theme = useTheme();
  const ready = view.nodes.filter((n) => n.ready).length;
  const podRoom = Math.max(0, height - 2);
  const pods = view.pods.slice(0, view.pods.length > podRoom ? podRoom - 1 : podRoom);
  const nameW = Math.max(8, width - 12);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate-end" {...theme.title}>
        Cluster
      </Text>
      {view.error ? (
        <Text wrap="truncate-end" {...theme.bad}>
          {view.error}
        </Text>
      ) : (
        <Text wrap="truncate-end">
          <Text {...(ready === view.nodes.length && ready > 0 ? theme.ok : theme.warn)}>
            {ready}/{view.nodes.length}
          </Text>{' '}
          nodes Ready
        </Text>
      )}
      {pods.map((p) => (
        <Text key={`${p.namespace}/${p.name}`} wrap="truncate-end">
          {short(p.name, nameW)}{' '}
          <Text {...(p.status === 'Running' ? theme.ok : p.status === 'Pending' ? theme.busy : theme.bad)}>
            {p.status}
          </Text>
        </Text>
      ))}
      {view.pods.length > pods.length ? (
        <Text {...theme.muted}>+{view.pods.length - pods.length} more pods</Text>
      ) : null}
      {view.pods.length === 0 && podRoom > 0 ? (
        <Text wrap="truncate-end" {...theme.muted}>
          no pods in {view.namespaces.join(', ') || 'the scenario'}
        </Text>
      ) : null}
    </Box>
  );
}

/** A pod name cut in the middle keeps its distinctive random suffix. */
function short(name: string, w: number): string {
  if (name.length <= w) return name;
  const tail = Math.min(6, Math.floor(w / 3));
  return `${name.slice(0, w - tail - 1)}…${name.slice(-tail)}`;
}

import { Box, Text } from 'ink';
import { byTopic } from '../../services/catalog.js';
import type { Catalog } from '../../services/types.js';
import { MARK, useTheme } from '../../theme.js';
import { progressLabel, runsOn } from './home-state.js';

/** The scenario catalog by topic, with progress and time; a window of `height` lines around the choice. */
export function CatalogPanel({
  catalog,
  selected,
  backend,
  width,
  height,
}: {
  readonly catalog: Catalog;
  readonly selected: number;
  readonly backend: string;
  readonly width: number;
  readonly height: number;
}) {
  const theme = useTheme();
  const rows: Array<{ key: string; topic?: string; index?: number }> = [];
  let index = 0;
  for (const g of byTopic(catalog.entries)) {
    rows.push({ key: `topic:${g.topic}`, topic: g.topic });
    for (const _ of g.entries) rows.push({ key: `entry:${index}`, index: index++ });
  }
  const at = rows.findIndex((r) => r.index === selected);
  const room = Math.max(1, height - 1);
  const start = Math.max(0, Math.min(at - Math.floor(room / 2), rows.length - room));
  const ordered = byTopic(catalog.entries).flatMap((g) => g.entries);
  const titleW = Math.max(10, width - 34);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text {...theme.title}>Scenarios</Text>
      {catalog.entries.length === 0 ? (
        <Text wrap="truncate-end" {...theme.muted}>
          No scenarios here yet. Give folders: clusterlab home ./my-scenarios
        </Text>
      ) : null}
      {rows.slice(start, start + room).map((r) => {
        if (r.topic !== undefined)
          return (
            <Text key={r.key} {...theme.accent}>
              {r.topic}
            </Text>
          );
        const e = ordered[r.index!]!;
        const isSel = r.index === selected;
        const fits = runsOn(e, backend);
        return (
          <Text key={r.key} wrap="truncate-end">
            <Text {...(isSel ? theme.selected : fits ? {} : theme.muted)}>
              {isSel ? MARK.current : ' '}{' '}
              {e.title.length > titleW ? `${e.title.slice(0, titleW - 1)}…` : e.title.padEnd(titleW)}
            </Text>
            <Text {...theme.muted}>
              {' '}
              {e.difficulty.padEnd(12)} {String(e.estimatedMinutes).padStart(3)} min{' '}
            </Text>
            <Text {...(e.progress?.complete ? theme.ok : {})}>{progressLabel(e)}</Text>
            {!fits ? <Text {...theme.muted}> (not on {backend})</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}

/** Catalog entries in the order the panel lists them (selection indexes into this). */
export const orderedEntries = (catalog: Catalog) => byTopic(catalog.entries).flatMap((g) => g.entries);

import { Box, Text } from 'ink';
import { type Keymap, keyLabel } from '../keys.js';
import { useTheme } from '../theme.js';

/** Every binding of the screen's keymap with what it does; drawn from the same data as the footer. */
export function HelpOverlay({
  title,
  keymap,
  notes = [],
}: {
  readonly title: string;
  readonly keymap: Keymap;
  readonly notes?: string[];
}) {
  const theme = useTheme();
  const keys = keymap.map((b) => b.keys.map(keyLabel).join(', '));
  const w = Math.max(...keys.map((k) => k.length));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.border} paddingX={1}>
      <Text {...theme.title}>Keys — {title}</Text>
      {keymap.map((b, i) => (
        <Text key={b.action}>
          <Text {...theme.key}>{keys[i]!.padEnd(w)}</Text>
          <Text> {b.help}</Text>
        </Text>
      ))}
      {notes.map((n) => (
        <Text key={n} {...theme.muted}>
          {n}
        </Text>
      ))}
      <Text {...theme.muted}>esc or ? closes this help</Text>
    </Box>
  );
}

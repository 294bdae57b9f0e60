import { Box, Text } from 'ink';
import { type Keymap, keyLabel } from '../keys.js';
import { useTheme } from '../theme.js';

/** The footer: the keymap's hinted bindings, as many as fit on one line. */
export function KeyHints({ keymap, width }: { readonly keymap: Keymap; readonly width: number }) {
  const theme = useTheme();
  const items: Array<{ keys: string; hint: string }> = [];
  let used = 0;
  for (const b of keymap) {
    if (!b.hint) continue;
    const keys = keyLabel(b.keys[0]!);
    const len = keys.length + b.hint.length + 3;
    if (used + len > width) break;
    used += len;
    items.push({ keys, hint: b.hint });
  }
  return (
    <Box height={1}>
      <Text wrap="truncate-end">
        {items.map((it) => (
          <Text key={it.keys}>
            <Text {...theme.key}>{it.keys}</Text>
            <Text> {it.hint} </Text>
            <Text> </Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}

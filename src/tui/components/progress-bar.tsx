import { Text } from 'ink';
import { useTheme } from '../theme.js';

/** `[██████░░░░░░]  50%`: blocks, not colour, carry the value, so it reads under NO_COLOR too. */
export function ProgressBar({ percent, width }: { readonly percent: number; readonly width: number }) {
  const theme = useTheme();
  const p = Math.max(0, Math.min(100, Math.round(percent)));
  const cells = Math.max(4, width - 7);
  const full = Math.round((p / 100) * cells);
  return (
    <Text>
      <Text {...theme.ok}>{'█'.repeat(full)}</Text>
      <Text {...theme.muted}>{'░'.repeat(cells - full)}</Text>
      <Text> {String(p).padStart(3)}%</Text>
    </Text>
  );
}

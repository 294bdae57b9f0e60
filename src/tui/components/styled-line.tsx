import { Text } from 'ink';
import type { Line } from '../markdown/lines.js';
import { useTheme } from '../theme.js';

/** One laid-out line; never wraps again (the layout already fits it to the width). */
export function StyledLine({ line }: { readonly line: Line }) {
  const theme = useTheme();
  if (line.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {line.map((seg, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond their place
        <Text key={i} {...theme.tone(seg.tone)}>
          {seg.text}
        </Text>
      ))}
    </Text>
  );
}

import { Box, Text } from 'ink';
import { useTheme } from '../theme.js';

export interface FlashMessage {
  text: string;
  level: 'info' | 'error';
}

/** One line above the footer for what just happened or went wrong, instead of a dialog. */
export function Flash({ message }: { readonly message?: FlashMessage }) {
  const theme = useTheme();
  return (
    <Box height={1}>
      {message ? (
        <Text wrap="truncate-end" {...(message.level === 'error' ? theme.bad : theme.accent)}>
          {message.text}
        </Text>
      ) : (
        <Text> </Text>
      )}
    </Box>
  );
}

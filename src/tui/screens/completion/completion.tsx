import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { HelpOverlay } from '../../components/help-overlay.js';
import { KeyHints } from '../../components/key-hints.js';
import { formatMinutes } from '../../hooks/use-clock.js';
import { actionFor, type Keymap } from '../../keys.js';
import type { CatalogEntry } from '../../services/types.js';
import { MARK, useTheme } from '../../theme.js';

type CompletionAction = 'home' | 'review' | 'help' | 'quit';

const KEYS: Keymap<CompletionAction> = [
  { keys: ['h', 'enter'], action: 'home', hint: 'home', help: 'back to Home to pick another scenario' },
  { keys: ['p', 'left'], action: 'review', hint: 'review', help: 'go back to the last step' },
  { keys: ['?'], action: 'help', hint: 'help', help: 'show these keys' },
  { keys: ['q', 'ctrl-c', 'esc'], action: 'quit', hint: 'quit', help: 'quit (the lab keeps running)' },
];

export interface CompletionProps {
  title: string;
  scenarioId: string;
  lab: string;
  /** Milliseconds from starting the scenario to its last step. */
  tookMs: number;
  hints: number;
  solutions: number;
  skipped: string[];
  /** Scenarios to try next (same topic first). */
  next: CatalogEntry[];
  cmd(command: string): string;
  columns: number;
  rows: number;
  isActive: boolean;
  onHome(): void;
  onReview(): void;
  onQuit(): void;
}

/** The end of a scenario: how it went, and what to try next. */
export function Completion(p: CompletionProps) {
  const theme = useTheme();
  const [help, setHelp] = useState(false);
  useInput(
    (input, key) => {
      if (help) {
        if (key.escape || input === '?') setHelp(false);
        return;
      }
      const a = actionFor(KEYS, input, key);
      if (a === 'home') p.onHome();
      else if (a === 'review') p.onReview();
      else if (a === 'help') setHelp(true);
      else if (a === 'quit') p.onQuit();
    },
    { isActive: p.isActive },
  );
  const labFlag = p.lab === 'lab' ? '' : ` --name ${p.lab}`;
  return (
    <Box flexDirection="column" width={p.columns} height={p.rows}>
      <Text wrap="truncate-end">
        <Text {...theme.ok}>{MARK.passed} </Text>
        <Text {...theme.title}>Scenario complete: {p.title}</Text>
      </Text>
      <Text> </Text>
      {help ? (
        <HelpOverlay title="completion" keymap={KEYS} />
      ) : (
        <>
          <Text>
            <Text {...theme.muted}>Time taken </Text>
            {formatMinutes(p.tookMs)}
          </Text>
          <Text>
            <Text {...theme.muted}>Hints used </Text>
            {p.hints}
            <Text {...theme.muted}> Solutions viewed </Text>
            {p.solutions}
          </Text>
          <Text wrap="truncate-end">
            <Text {...theme.muted}>Skipped </Text>
            {p.skipped.length === 0 ? 'none' : p.skipped.join(', ')}
          </Text>
          <Text> </Text>
          <Text {...theme.title}>What to try next</Text>
          {p.next.slice(0, Math.max(0, Math.floor((p.rows - 18) / 2))).map((e) => (
            <Suggestion
              key={e.id}
              what={`${e.title} (${e.topic}, ${e.estimatedMinutes} min)`}
              command={p.cmd(`clusterlab start ${e.id}`)}
            />
          ))}
          <Suggestion what="Look around the lab you built" command={p.cmd(`clusterlab shell${labFlag}`)} />
          <Suggestion
            what="Do it again from the start"
            command={p.cmd(`clusterlab progress reset --scenario ${p.scenarioId}${labFlag}`)}
          />
          <Suggestion what="Done with the lab" command={p.cmd(`clusterlab down${labFlag}`)} />
        </>
      )}
      <Box flexGrow={1} />
      <KeyHints keymap={help ? [] : KEYS} width={p.columns} />
    </Box>
  );
}

/** A thing to try and, on its own line so it is never cut, the command that does it. */
function Suggestion({ what, command }: { readonly what: string; readonly command: string }) {
  const theme = useTheme();
  return (
    <>
      <Text wrap="truncate-end">{`  • ${what}`}</Text>
      <Text wrap="truncate-end">
        {'      '}
        <Text {...theme.key}>{command}</Text>
      </Text>
    </>
  );
}

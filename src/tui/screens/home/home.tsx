import { Box, Text, useInput } from 'ink';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Flash, type FlashMessage } from '../../components/flash.js';
import { HelpOverlay } from '../../components/help-overlay.js';
import { KeyHints } from '../../components/key-hints.js';
import { actionFor } from '../../keys.js';
import type { BackendReadiness, Catalog, CatalogEntry, LabRow, TuiServices } from '../../services/types.js';
import { useTheme } from '../../theme.js';
import { BackendsPanel, LabsPanel } from './backends-panel.js';
import { CatalogPanel, orderedEntries } from './catalog-panel.js';
import { HOME_KEYS, nextBackend, runsOn, usableBackends } from './home-state.js';

export interface HomeProps {
  services: TuiServices;
  lab: string;
  columns: number;
  rows: number;
  isActive: boolean;
  /** Something to say on arrival (a cancelled lab). */
  flash?: string;
  onStart(entry: CatalogEntry, backend: string): void;
  onQuit(): void;
}

/** Home: what this machine can run, the labs there are, and the scenarios to start. */
export function Home({ services, lab, columns, rows, isActive, flash: arrival, onStart, onQuit }: HomeProps) {
  const theme = useTheme();
  const [backends, setBackends] = useState<BackendReadiness[]>();
  const [labs, setLabs] = useState<LabRow[]>();
  const [catalog, setCatalog] = useState<Catalog>(() => services.catalog(lab));
  const [selected, setSelected] = useState(0);
  const [backend, setBackend] = useState('sim');
  const [help, setHelp] = useState(false);
  const [trustAsk, setTrustAsk] = useState<CatalogEntry>();
  const [flash, setFlash] = useState<FlashMessage | undefined>(
    arrival ? { text: arrival, level: 'info' } : undefined,
  );

  const refresh = useCallback(() => {
    let live = true;
    setBackends(undefined);
    setLabs(undefined);
    setCatalog(services.catalog(lab));
    services.preflight().then(
      (b) => live && setBackends(b),
      (e: Error) => live && setFlash({ text: e.message, level: 'error' }),
    );
    services.labs().then(
      (l) => {
        if (!live) return;
        setLabs(l);
        const mine = l.find((x) => x.name === lab);
        if (mine) setBackend(mine.backend);
      },
      (e: Error) => live && setFlash({ text: e.message, level: 'error' }),
    );
    return () => {
      live = false;
    };
  }, [services, lab]);
  useEffect(refresh, [refresh]);

  const entries = useMemo(() => orderedEntries(catalog), [catalog]);
  const labExists = !!labs?.find((l) => l.name === lab);
  const start = (e: CatalogEntry) => {
    if (!runsOn(e, backend))
      return setFlash({
        text: `"${e.id}" does not run on the ${backend} backend (it runs on ${e.backends.join(', ')})`,
        level: 'error',
      });
    if (!e.trusted) return setTrustAsk(e);
    onStart(e, backend);
  };

  useInput(
    (input, key) => {
      if (trustAsk) {
        if (input === 'y' || input === 'Y') {
          try {
            services.trust(trustAsk.dir);
            const e = { ...trustAsk, trusted: true };
            setTrustAsk(undefined);
            onStart(e, backend);
          } catch (err) {
            setTrustAsk(undefined);
            setFlash({ text: (err as Error).message, level: 'error' });
          }
        } else if (input === 'n' || input === 'N' || key.escape) setTrustAsk(undefined);
        return;
      }
      if (help) {
        if (key.escape || input === '?' || input === 'q') setHelp(false);
        return;
      }
      const a = actionFor(HOME_KEYS, input, key);
      setFlash(undefined);
      if (a === 'quit') onQuit();
      else if (a === 'help') setHelp(true);
      else if (a === 'up') setSelected((s) => Math.max(0, s - 1));
      else if (a === 'down') setSelected((s) => Math.min(entries.length - 1, s + 1));
      else if (a === 'refresh') refresh();
      else if (a === 'backend') {
        if (labExists)
          setFlash({
            text: `lab "${lab}" already runs on ${backend}; a lab keeps its backend`,
            level: 'info',
          });
        else setBackend((b) => nextBackend(b, usableBackends(backends)));
      } else if (a === 'start' && entries[selected]) start(entries[selected]);
    },
    { isActive },
  );

  // The backends get the room: their fixes are commands to copy.
  const half = Math.max(40, columns - 28);
  const backendRows = 1 + (backends?.reduce((n, b) => n + 1 + (b.issues.length > 0 ? 1 : 0), 0) ?? 1);
  const top = Math.max(backendRows, 2 + (labs?.length ?? 1));
  const catalogHeight = Math.max(3, rows - top - 4);
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Text wrap="truncate-end">
        <Text {...theme.title}>clusterlab</Text>
        <Text {...theme.muted}>
          {' '}
          — Kubernetes labs, scenarios checked live │ learner {services.learner} │ lab {lab} on {backend}
        </Text>
      </Text>
      {help ? (
        <Box flexGrow={1}>
          <HelpOverlay title="home" keymap={HOME_KEYS} />
        </Box>
      ) : (
        <>
          <Box height={top}>
            <BackendsPanel backends={backends} chosen={backend} width={half - 1} />
            <Box marginLeft={1}>
              <LabsPanel labs={labs} width={columns - half} />
            </Box>
          </Box>
          <Text> </Text>
          <CatalogPanel
            catalog={catalog}
            selected={selected}
            backend={backend}
            width={columns}
            height={catalogHeight}
          />
        </>
      )}
      <Box flexGrow={1} />
      {trustAsk ? (
        <Text wrap="truncate-end" {...theme.warn}>
          "{trustAsk.id}" is not built in. Trust its scripts to run on your machine? (y/n) {trustAsk.dir}
        </Text>
      ) : (
        <Flash message={flash ?? invalidNote(catalog, services)} />
      )}
      <KeyHints keymap={help || trustAsk ? [] : HOME_KEYS} width={columns} />
    </Box>
  );
}

function invalidNote(catalog: Catalog, services: TuiServices): FlashMessage | undefined {
  const bad = catalog.invalid[0];
  if (!bad) return undefined;
  const more = catalog.invalid.length > 1 ? ` (and ${catalog.invalid.length - 1} more)` : '';
  return { text: `A scenario does not load${more}: ${services.cmd(bad.fix)}`, level: 'error' };
}

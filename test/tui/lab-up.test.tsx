import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { Progress, UpResult } from '../../src/backends/types.js';
import { LabUp } from '../../src/tui/screens/lab-up/lab-up.js';
import type { TuiServices, UpRequest } from '../../src/tui/services/types.js';
import { frame, KEY, press, shows, themed } from './helpers.js';

/** Only the backend's `up` is faked: it reports phases and log lines, then waits to be told to finish or cancelled. */
function fakeUp() {
  const logs = new Set<(l: string) => void>();
  const fake = {
    progress: undefined as unknown as Progress,
    finish: ((_r: UpResult) => undefined) as (r: UpResult) => void,
    cleanedUp: false,
    started: undefined as unknown as Promise<void>,
    services: undefined as unknown as TuiServices,
    log: (line: string) => {
      for (const l of logs) l(line);
    },
  };
  let ready!: () => void;
  fake.started = new Promise<void>((r) => {
    ready = r;
  });
  fake.services = {
    onLog: (l: (line: string) => void) => {
      logs.add(l);
      return () => logs.delete(l);
    },
    upLab: (_req: UpRequest, p: Progress, signal: AbortSignal) =>
      new Promise<UpResult>((resolve, reject) => {
        fake.progress = p;
        fake.finish = resolve;
        signal.addEventListener('abort', () => {
          fake.cleanedUp = true; // a backend removes what it half-made, then gives up
          reject(new Error('interrupted'));
        });
        ready();
      }),
  } as unknown as TuiServices;
  return fake;
}

const request: UpRequest = { lab: 'lab', backend: 'sim', nodes: 3 };

describe('Lab up', () => {
  it('shows the phases as they end, the overall bar, and the raw log on l', async () => {
    const up = fakeUp();
    let ready: UpResult | undefined;
    const r = render(
      themed(
        <LabUp
          services={up.services}
          request={request}
          columns={80}
          rows={24}
          isActive
          onReady={(x) => {
            ready = x;
          }}
          onFail={() => undefined}
        />,
      ),
    );
    await up.started;
    up.progress.start('Writing the lab files');
    up.progress.percent(20);
    up.progress.start('Starting the API server');
    up.progress.percent(60);
    up.log('serving lab (3 nodes) on https://127.0.0.1:40000');
    const text = await shows(r, '60%');
    expect(text).toContain('Bringing up lab "lab"');
    expect(text).toMatch(/✓ Writing the lab files/);
    expect(text).toMatch(/… Starting the API server/);
    expect(text).toContain('█');
    expect(text).not.toContain('serving lab');
    await press(r, 'l');
    await shows(r, 'serving lab (3 nodes) on https://127.0.0.1:40000');
    await press(r, 'l');
    await waitUntil(() => !frame(r).includes('serving lab'));
    up.progress.end(false, 'no answer');
    await shows(r, '✗ Starting the API server — no answer');
    const result = { name: 'lab' } as UpResult;
    up.finish(result);
    await waitUntil(() => ready === result);
    r.unmount();
  });

  it('cancels on Ctrl-C: the backend cleans up and the screen reports a cancelled start', async () => {
    const up = fakeUp();
    let failed: { error: Error; cancelled: boolean } | undefined;
    const r = render(
      themed(
        <LabUp
          services={up.services}
          request={request}
          columns={80}
          rows={24}
          isActive
          onReady={() => undefined}
          onFail={(error, cancelled) => {
            failed = { error, cancelled };
          }}
        />,
      ),
    );
    await up.started;
    up.progress.start('Starting the API server');
    await shows(r, 'Starting the API server');
    await press(r, KEY.ctrlC);
    await waitUntil(() => failed !== undefined);
    expect(up.cleanedUp).toBe(true);
    expect(failed?.cancelled).toBe(true);
    r.unmount();
  });
});

async function waitUntil(pred: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('the condition never held');
    await new Promise((res) => setTimeout(res, 10));
  }
}

import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Completion } from '../../src/tui/screens/completion/completion.js';
import { press, shows, themed } from './helpers.js';

describe('Completion', () => {
  it('says how it went and what to try next, and h goes home', async () => {
    let home = 0;
    const r = render(
      themed(
        <Completion
          title="A small shop, checked every way"
          scenarioId="sample-shop"
          lab="cka"
          tookMs={14 * 60_000}
          hints={3}
          solutions={1}
          skipped={['Find the pods on a node']}
          next={[
            {
              id: 'cgroups-memory',
              title: 'Memory limits in cgroups',
              topic: 'linux',
              summary: '',
              estimatedMinutes: 20,
              difficulty: 'intermediate',
              dir: '/x',
              steps: 4,
              nodes: 3,
              backends: ['sim'],
              trusted: true,
            },
          ]}
          cmd={(c) => c.replace(/^clusterlab/, 'npx clusterlab')}
          columns={80}
          rows={24}
          isActive
          onHome={() => home++}
          onReview={() => undefined}
          onQuit={() => undefined}
        />,
      ),
    );
    const text = await shows(r, 'Scenario complete: A small shop, checked every way');
    expect(text).toContain('Time taken 14 min');
    expect(text).toContain('Hints used 3 Solutions viewed 1');
    expect(text).toContain('Skipped Find the pods on a node');
    expect(text).toContain(
      '• Memory limits in cgroups (linux, 20 min)\n      npx clusterlab start cgroups-memory',
    );
    expect(text).toContain('npx clusterlab progress reset --scenario sample-shop --name cka');
    expect(text).toContain('npx clusterlab down --name cka');
    await press(r, 'h');
    expect(home).toBe(1);
    r.unmount();
  });
});

import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { AnyActorRef, SnapshotFrom } from 'xstate';

/**
 * A value selected from an xstate actor's snapshot; the component re-renders only when the
 * selected value changes (by `equal`), not on every snapshot — a verdict on another check
 * does not redraw the step list.
 */
export function useActorSelector<A extends AnyActorRef, T>(
  actor: A,
  select: (snapshot: SnapshotFrom<A>) => T,
  equal: (a: T, b: T) => boolean = Object.is,
): T {
  const last = useRef<{ value: T } | undefined>(undefined);
  const subscribe = useCallback(
    (onChange: () => void) => {
      const sub = actor.subscribe(onChange);
      return () => sub.unsubscribe();
    },
    [actor],
  );
  const get = () => {
    const next = select(actor.getSnapshot() as SnapshotFrom<A>);
    if (last.current && equal(last.current.value, next)) return last.current.value;
    last.current = { value: next };
    return next;
  };
  return useSyncExternalStore(subscribe, get, get);
}

/** Structural equality for the small plain values selectors return. */
export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

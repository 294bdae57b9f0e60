import { useSyncExternalStore } from 'react';
import type { ClusterFeed, ClusterView } from '../services/types.js';

/** The cluster panel's view, re-rendered when the feed says the lab changed. */
export function useClusterView(feed: ClusterFeed): ClusterView {
  return useSyncExternalStore(feed.subscribe, feed.get, feed.get);
}

/**
 * The worker's per-cycle market-data cache (the guide's Redis, without Redis): a cycle's
 * candidate bars are kept here for its next stage. A miss (another worker, a
 * restart) is never an error: the stage fetches what it needs again.
 */
import type { BrokerAsset } from '../broker/port';
import type { CandidateBars } from './candidateBars';
import type { MarketDay } from '../workflows/messages';

export interface MarketCache {
  /** A cycle's candidate bars (key: cycle id @ decision minute), shared by the pattern and technical stages. */
  bars: BoundedMap<string, Map<string, CandidateBars>>;
  days: BoundedMap<string, MarketDay>;
  /** The tradable universe per trading date: listings do not change during a session. */
  assets: BoundedMap<string, BrokerAsset[]>;
  /** Last (status, filled qty) written per broker order id, so ticks only write what changed. */
  orderVersions: Map<string, string>;
  /** Last version written per position and risk-event key, for the same reason. */
  recordVersions: BoundedMap<string, string>;
}

export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }
}

export const createMarketCache = (): MarketCache => ({
  bars: new BoundedMap(2),
  days: new BoundedMap(8),
  assets: new BoundedMap(2),
  orderVersions: new Map(),
  recordVersions: new BoundedMap(20_000),
});

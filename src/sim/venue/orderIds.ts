/**
 * Order ids as functions of the seed and the order's draw key (its client_order_id, or its
 * parent's and its leg), so the same seeded run gives the same broker order list byte for byte,
 * whichever participant's request reached the venue first within a minute.
 */
import { createHash } from 'node:crypto';

/** A UUID-shaped (version 4 layout) id drawn from (seed, kind, key). */
export function seededUuid(seed: number, kind: 'order' | 'client', key: string): string {
  const h = createHash('sha256')
    .update(`${seed >>> 0}|${kind}|${key}`)
    .digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

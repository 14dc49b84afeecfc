/**
 * The visited set of a parallel search while it runs on the main thread alone, before any worker
 * thread joins (most runs end before one would pay): the sequential explorer's table, about 11-13
 * bytes a state, with no atomics. Claims are not needed: with one thread, units run one at a time
 * in record order, so the first parent to find a state is the one the sequential explorer
 * credits, and a later one never displaces it. When threads join, the entries move into a
 * {@link SharedFingerprintSet} settled ({@link SharedFingerprintSet.copyOf}), which no later unit
 * can displace either.
 */
import { OpenAddressingFingerprintSet } from './fingerprint-set.ts';
import { NOT_CLAIMED, type ClaimingSet } from './shared-fingerprint-set.ts';

export class SoloClaimingSet extends OpenAddressingFingerprintSet implements ClaimingSet {
  readonly lowered = false;
  /** Claims are not kept, so there is no level to tell them by. */
  parity = 0;

  /** Inserts the fingerprint: 0 (the slot, which a lone thread's commit never reads) when it was new. */
  claim(high: number, low: number): number {
    return this.addIfAbsent(high, low) ? 0 : NOT_CLAIMED;
  }

  /** Nothing to settle: no claims are kept. */
  settle(): void {}
}

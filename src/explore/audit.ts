/**
 * The exact audit (`--audit`): checks that no two distinct states met by a run shared a fingerprint.
 *
 * The visited set keeps fingerprints only, so a collision would make a new state look already seen
 * and could hide a violation; the result reports the birthday-bound estimate of that probability.
 * The audit replaces the estimate with a fact for one run: it keeps the encoding of every state
 * stored in the visited set, and whenever the explorer meets a fingerprint that is already there
 * (a fingerprint hit, self-loops included), it decodes the stored encoding and the one just met and
 * compares the two states with `fast-deep-equal`. A mismatch is a collision: counted, and the first
 * one kept for the report. The run itself is not changed (the colliding state is still treated as
 * seen, as it would be without the audit), so its counts equal those of an unaudited run.
 *
 * It is a layer, not a mode of the explorer: {@link FingerprintAudit.wrap} puts it around the
 * visited set, so a run without `--audit` runs the same code it always did. The price of an
 * audited run is a copy of every distinct state's encoding (memory grows with the state space,
 * not just 8 bytes a state) and two decodes and a deep comparison per hit: slow by design.
 *
 * How the audit sees the state behind a fingerprint: the explorer encodes a state into one
 * {@link WordWriter}, hashes what it wrote, then asks the visited set; the audit reads the encoding
 * from that same writer at that moment.
 */
import equal from 'fast-deep-equal/es6/index.js';
import { WordReader, type Model, type WordWriter } from '../model.ts';
import type { FingerprintSet } from '../store/fingerprint-set.ts';
import { fingerprintHex } from '../store/fingerprint.ts';
import { ContractBreach } from './contract-breach.ts';

/** What an audited run found. */
export interface AuditStatistics {
  /** Fingerprint hits whose state was compared in full with the state stored under the fingerprint. */
  readonly statesCompared: number;
  /** Hits whose state differed from the stored one: distinct states sharing a fingerprint. */
  readonly collisions: number;
  /** Bytes held by the kept encodings. */
  readonly storedBytes: number;
  readonly firstCollision?: FingerprintCollision;
}

/** Two distinct states with the same fingerprint. */
export interface FingerprintCollision {
  /** The fingerprint, as 16 hexadecimal digits. */
  readonly fingerprint: string;
  /** The state stored first under the fingerprint (decoded from its encoding). */
  readonly stored: unknown;
  /** The different state met later with the same fingerprint. */
  readonly met: unknown;
}

/**
 * Encodings are found by fingerprint through maps keyed by an exact 53-bit number: the low 11
 * bits of the fingerprint pick one of 2,048 maps, the other 53 bits are the key. (One map would
 * stop at V8's limit of 2^24 entries.)
 */
const SHARD_BITS = 11;
const SHARDS = 1 << SHARD_BITS;

export class FingerprintAudit<State> {
  private readonly shards: Map<number, number>[] = Array.from({ length: SHARDS }, () => new Map());
  /** Every kept encoding, back to back; entry i is words[starts[i]] up to words[starts[i + 1]]. */
  private words = new Int32Array(1 << 12);
  private readonly starts: number[] = [0];
  private compared = 0;
  private collisions = 0;
  private firstCollision: FingerprintCollision | undefined;
  private readonly reader = new WordReader(new Int32Array(0));

  /**
   * @param model decodes the encodings to compare.
   * @param encoding the writer that holds the encoding of the state whose fingerprint the explorer
   *   is looking up, whenever it calls the wrapped set or {@link met}.
   */
  constructor(
    private readonly model: Pick<Model<State, unknown>, 'decode'>,
    private readonly encoding: WordWriter,
    /**
     * The fingerprints are the model's own (`fingerprintsItself`): two states that share one are
     * then a breach of its contract (a fingerprint must tell apart states that encode differently),
     * reported at once, not counted as the hash's rare collision.
     */
    private readonly modelFingerprints = false,
  ) {}

  /** The visited set, audited: every insert that finds its fingerprint present is compared. */
  wrap(visited: FingerprintSet): FingerprintSet {
    return new AuditedFingerprintSet(visited, this);
  }

  /** Keeps the current encoding as the state of a fingerprint new to the visited set. */
  kept(high: number, low: number): void {
    const length = this.encoding.length;
    const entry = this.starts.length - 1;
    const start = this.starts[entry]!;
    if (start + length > this.words.length) {
      let capacity = this.words.length * 2;
      while (capacity < start + length) capacity *= 2;
      const grown = new Int32Array(capacity);
      grown.set(this.words.subarray(0, start));
      this.words = grown;
    }
    this.words.set(this.encoding.words.subarray(0, length), start);
    this.starts.push(start + length);
    this.shard(low).set(key(high, low), entry);
  }

  /** Compares the current encoding's state with the state kept under its fingerprint. */
  met(high: number, low: number): void {
    const entry = this.shard(low).get(key(high, low));
    if (entry === undefined) throw new Error(`audit: no state kept for fingerprint ${fingerprintHex(high, low)}`);
    this.compared++;
    const start = this.starts[entry]!;
    const end = this.starts[entry + 1]!;
    const stored = this.decode(this.words, start, end);
    const current = this.decode(this.encoding.words, 0, this.encoding.length);
    if (equal(stored, current)) return;
    if (this.modelFingerprints) {
      throw new ContractBreach(
        `the model's fingerprint ${fingerprintHex(high, low)} is that of two states that differ: almost surely a fingerprint (or fingerprintSuccessors) that leaves out part of the state ` +
          '(or a coincidence of one in 2^64); the verdict of a run without --audit may be wrong',
      );
    }
    this.collisions++;
    if (this.firstCollision === undefined) {
      // Decoded again from copies: a decoded state may be a view of the words it was read from.
      this.firstCollision = {
        fingerprint: fingerprintHex(high, low),
        stored: this.decode(this.words.slice(start, end), 0, end - start),
        met: this.decode(this.encoding.words.slice(0, this.encoding.length), 0, this.encoding.length),
      };
    }
  }

  statistics(): AuditStatistics {
    return {
      statesCompared: this.compared,
      collisions: this.collisions,
      storedBytes: this.words.byteLength + this.starts.length * 8,
      ...(this.firstCollision ? { firstCollision: this.firstCollision } : {}),
    };
  }

  private decode(words: Int32Array, start: number, end: number): State {
    const reader = this.reader;
    reader.words = words;
    reader.position = start;
    reader.end = end;
    return this.model.decode(reader);
  }

  private shard(low: number): Map<number, number> {
    return this.shards[(low >>> 0) & (SHARDS - 1)]!;
  }
}

function key(high: number, low: number): number {
  return (high >>> 0) * 2 ** (32 - SHARD_BITS) + ((low >>> 0) >>> SHARD_BITS);
}


/**
 * The visited set seen through the audit. Only inserts are audited: `has` is also how a finished
 * run's counterexample is checked by replay, when the explorer's writer no longer holds the state.
 */
class AuditedFingerprintSet implements FingerprintSet {
  constructor(
    private readonly inner: FingerprintSet,
    private readonly audit: FingerprintAudit<unknown>,
  ) {}

  addIfAbsent(high: number, low: number): boolean {
    if (this.inner.addIfAbsent(high, low)) {
      this.audit.kept(high, low);
      return true;
    }
    this.audit.met(high, low);
    return false;
  }

  has(high: number, low: number): boolean {
    return this.inner.has(high, low);
  }

  get size(): number {
    return this.inner.size;
  }

  approximateBytes(): number {
    return this.inner.approximateBytes();
  }
}

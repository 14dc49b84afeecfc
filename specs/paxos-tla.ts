/**
 * Leslie Lamport's Paxos.tla (tlaplus Examples, specifications/Paxos), transcribed onto synod's
 * engine directly (src/model.ts, not the actors layer), with quorums = all majorities. `chosen`
 * comes from Voting.tla and Consistency from Consensus.tla, which Paxos.tla instantiates.
 *
 * How the TLA+ maps to this file, line by line:
 *
 *   VARIABLES maxBal, maxVBal, maxVal, msgs   the state, one flat Int32Array (`PaxosTlaState`):
 *                                               per acceptor a the words maxBal[a], maxVBal[a],
 *                                               maxVal[a], then msgs as a bitset over an
 *                                               enumeration of the finite set Message
 *   Message                                    the enumeration: `Layout`, `messageText`
 *   None                                       NONE (-1); values are 0..V-1, shown as v1..vV
 *   Ballot == Nat                              0..maxBallot, as MCPaxos.tla's MCBallot bounds it
 *   Quorum                                     every majority of Acceptor: `Layout.quorums`
 *   Init                                       `initialState`
 *   Send(m)                                    `send`: sets the bit of m (already set: no change)
 *   Phase1a(b)                                 `phase1aEnabled`, `phase1a`
 *   Phase1b(a) == \E m \in msgs : ...          `phase1bEnabled(a, b)`, `phase1b(a, b)`: one
 *                                               action per 1a message m (m.bal = b), so every
 *                                               successor is generated
 *   Phase2a(b, v)                              `phase2aEnabledValues(b)` (bit v: enabled for v),
 *                                               `phase2a(b, v)`
 *     ~ \E m \in msgs : m.type = "2a" ...       `has2a`
 *     \E Q \in Quorum : LET Q1b, Q1bv IN ...   `phase2aValues`: the values v for which some
 *                                               quorum Q satisfies the conjunct, as a bitmask; so
 *                                               one action (one successor) per (b, v), however
 *                                               many quorums enable it
 *   Phase2b(a) == \E m \in msgs : ...          `phase2bEnabled(a, b, v)`, `phase2b(a, b, v)`: one
 *                                               action per 2a message m (m.bal = b, m.val = v)
 *   Next                                       `actions`: for each b, Phase1a(b) then each
 *                                               Phase2a(b, v); then for each a, Phase1b(a) for
 *                                               each m, then Phase2b(a) for each m
 *   votes, V!ChosenAt, V!chosen (Voting.tla)   `chosenValues` (and `chosen`, for traces): v is
 *                                               chosen when for some b a majority sent 2b(b, v)
 *   Consistency (Consensus.tla)                the `always` property Consistency:
 *                                               Cardinality(chosen) <= 1
 *   (a guard against a vacuous model)          the `sometimes` property ValueChosen
 *
 * Stuttering steps are not offered as actions: Phase1a(b) once 1a(b) is in msgs, and Phase2b(a)
 * on a 2a message that a already voted for with maxBal[a] = its ballot, leave the state unchanged.
 * The engine would discard them as self-loops anyway; leaving them out changes no state count,
 * depth or verdict, only the `transitions` figure (which counts state-changing steps only).
 *
 * Speed: for given parameters the set Message is finite, so msgs is a bitset, a state is one
 * small Int32Array, encode and decode are copies (canonical by construction: a set is its bits),
 * actions are small integers, and the guards read bit fields (the layout keeps together the
 * messages each guard asks about). `nextState` allocates only the successor, carved from a chunk,
 * and `encodeSuccessor` writes a successor into the explorer's buffer without building it, which
 * spares building the successors already seen (most of them).
 *
 * `buildPaxosTla` takes an option used by the broken sibling in specs/bugs/paxos-tla-any-value.ts.
 */
import {
  defineSpec,
  type Model,
  type ParameterValues,
  type Property,
  type Symmetry,
  type WordReader,
  type WordWriter,
} from '../src/model.ts';

export const paxosTlaParameters = {
  acceptors: { type: 'integer', min: 3, max: 7, default: 3, description: 'number of acceptors (quorums: all majorities)' },
  values: { type: 'integer', min: 1, max: 4, default: 2, description: 'number of values (v1..vN)' },
  maxBallot: { type: 'integer', min: 0, max: 5, default: 1, description: 'ballots are 0..maxBallot' },
} as const;

export type PaxosTlaParameters = ParameterValues<typeof paxosTlaParameters>;

/**
 * A state: for each acceptor a, words 3a, 3a+1, 3a+2 hold maxBal[a], maxVBal[a], maxVal[a]
 * (-1 for -1 and None); then the words of the msgs bitset (bit i = message i of `Layout`).
 */
export type PaxosTlaState = Int32Array;

/**
 * An action, a small integer: Phase1a(b) is b; Phase1b(a) on 1a(b) is `phase1bBase + a*B + b`;
 * Phase2a(b, v) is `phase2aBase + b*V + v`; Phase2b(a) on 2a(b, v) is `phase2bBase + (a*B + b)*V + v`.
 */
export type PaxosTlaAction = number;

export interface PaxosTlaOptions {
  /**
   * 'highest-vote' is Paxos.tla: v must be the value of a highest-ballot vote reported in the 1b
   * messages of the quorum, if any reports a vote. 'any' is the bug: any value, whatever they report.
   */
  readonly phase2aValue?: 'highest-vote' | 'any';
  readonly name?: string;
}

/** A value chosen at a ballot, with every acceptor that voted for it there. */
export interface ChosenVote {
  readonly ballot: number;
  readonly value: number;
  readonly voters: readonly number[];
}

export interface PaxosTlaModel extends Model<PaxosTlaState, PaxosTlaAction> {
  readonly layout: Layout;
  /** Every (ballot, value) voted for by a quorum, sorted by ballot then value. */
  chosen(state: PaxosTlaState): ChosenVote[];
  /** The readable messages of msgs, sorted. */
  messages(state: PaxosTlaState): string[];
}

const NONE = -1;

/** The enumeration of Message and of the actions, for one choice of parameters. */
export class Layout {
  /** N acceptors, V values, B ballots (0..B-1). */
  readonly acceptors: number;
  readonly values: number;
  readonly ballots: number;
  /** Size of the smallest majority. */
  readonly majority: number;
  /** Quorum: every majority of acceptors, as bitmasks (bit a = acceptor a). */
  readonly quorums: Int32Array;

  // Message numbering. 1a(b): b. 1b(a, b, mbal, mval): base1b + (a*B + b)*K + k, where
  // k = 0 for (mbal, mval) = (-1, None) and 1 + mbal*V + mval otherwise (K = 1 + B*V).
  // 2a(b, v): base2a + b*V + v. 2b(a, b, v): base2b + (b*V + v)*N + a (the voters of one
  // (b, v) are adjacent, which is what `chosenValues` reads).
  readonly votesPer1b: number;
  readonly base1b: number;
  readonly base2a: number;
  readonly base2b: number;
  readonly messageCount: number;

  /** First word of the msgs bitset, and the length of a state in words. */
  readonly msgsOffset: number;
  readonly stateWords: number;

  readonly phase1bBase: number;
  readonly phase2aBase: number;
  readonly phase2bBase: number;
  readonly actionCount: number;

  constructor(parameters: PaxosTlaParameters) {
    const N = parameters.acceptors;
    const V = parameters.values;
    const B = parameters.maxBallot + 1;
    // The guards read the 1b messages of one (acceptor, ballot) as one bit field of 1 + B*V bits.
    if (N < 1 || N > 16 || V < 1 || B < 1 || 1 + B * V > 31) throw new RangeError('paxos-tla: parameters out of range');
    this.acceptors = N;
    this.values = V;
    this.ballots = B;
    this.majority = Math.floor(N / 2) + 1;
    const quorums: number[] = [];
    for (let mask = 1; mask < 1 << N; mask++) if (popcount(mask) >= this.majority) quorums.push(mask);
    this.quorums = Int32Array.from(quorums);

    this.votesPer1b = 1 + B * V;
    this.base1b = B;
    this.base2a = this.base1b + N * B * this.votesPer1b;
    this.base2b = this.base2a + B * V;
    this.messageCount = this.base2b + B * V * N;
    this.msgsOffset = 3 * N;
    this.stateWords = this.msgsOffset + ((this.messageCount + 31) >>> 5);

    this.phase1bBase = B;
    this.phase2aBase = this.phase1bBase + N * B;
    this.phase2bBase = this.phase2aBase + B * V;
    this.actionCount = this.phase2bBase + N * B * V;
  }

  message1a(b: number): number {
    return b;
  }

  message1b(a: number, b: number, mbal: number, mval: number): number {
    if ((mbal === -1) !== (mval === NONE) || mbal >= this.ballots || mval >= this.values) {
      throw new Error(`paxos-tla: no message 1b(mbal=${mbal}, mval=${mval}) in the enumeration`);
    }
    const k = mbal === -1 ? 0 : 1 + mbal * this.values + mval;
    return this.base1b + (a * this.ballots + b) * this.votesPer1b + k;
  }

  message2a(b: number, v: number): number {
    return this.base2a + b * this.values + v;
  }

  message2b(a: number, b: number, v: number): number {
    return this.base2b + (b * this.values + v) * this.acceptors + a;
  }

  // Renamings of the msgs bitset, for symmetry: one table per permutation, built once, on first use.
  private readonly acceptorTables = new Map<number, Int32Array>();
  private readonly valueTables = new Map<number, Int32Array>();

  /**
   * The message-index permutation of renaming acceptor a to `map[a]`: entry i is the index of
   * message i renamed (the acceptor field of 1b and 2b messages changes; 1a and 2a stay).
   */
  acceptorRenaming(map: ArrayLike<number>): Int32Array {
    const rank = permutationRank(map);
    let table = this.acceptorTables.get(rank);
    if (table === undefined) {
      table = this.renamingTable(map, identity(this.values));
      this.acceptorTables.set(rank, table);
    }
    return table;
  }

  /**
   * The message-index permutation of renaming value v to `map[v]`: the mval of 1b messages and
   * the value of 2a and 2b messages change (None stays None).
   */
  valueRenaming(map: ArrayLike<number>): Int32Array {
    const rank = permutationRank(map);
    let table = this.valueTables.get(rank);
    if (table === undefined) {
      table = this.renamingTable(identity(this.acceptors), map);
      this.valueTables.set(rank, table);
    }
    return table;
  }

  private renamingTable(acceptorMap: ArrayLike<number>, valueMap: ArrayLike<number>): Int32Array {
    const { acceptors: N, values: V, ballots: B, votesPer1b: K } = this;
    const table = new Int32Array(this.messageCount);
    for (let b = 0; b < B; b++) table[this.message1a(b)] = this.message1a(b);
    for (let a = 0; a < N; a++) {
      for (let b = 0; b < B; b++) {
        for (let k = 0; k < K; k++) {
          const renamed = k === 0 ? 0 : 1 + Math.floor((k - 1) / V) * V + valueMap[(k - 1) % V]!;
          table[this.base1b + (a * B + b) * K + k] = this.base1b + (acceptorMap[a]! * B + b) * K + renamed;
        }
      }
    }
    for (let b = 0; b < B; b++) {
      for (let v = 0; v < V; v++) {
        table[this.message2a(b, v)] = this.message2a(b, valueMap[v]!);
        for (let a = 0; a < N; a++) table[this.message2b(a, b, v)] = this.message2b(acceptorMap[a]!, b, valueMap[v]!);
      }
    }
    return table;
  }
}

/** The rank of a permutation of 0..n-1 in lexicographic order (its Lehmer code). */
function permutationRank(map: ArrayLike<number>): number {
  let rank = 0;
  for (let i = 0; i < map.length; i++) {
    let smaller = 0;
    for (let j = i + 1; j < map.length; j++) if (map[j]! < map[i]!) smaller++;
    rank = rank * (map.length - i) + smaller;
  }
  return rank;
}

function identity(n: number): Int32Array {
  const map = new Int32Array(n);
  for (let i = 0; i < n; i++) map[i] = i;
  return map;
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

/** All permutations of 0..n-1, in lexicographic order. */
function permutationsOf(n: number): Int32Array[] {
  if (n === 0) return [new Int32Array(0)];
  const result: Int32Array[] = [];
  for (const tail of permutationsOf(n - 1)) {
    // Insert n-1 at every position of each permutation of 0..n-2, then sort.
    for (let at = 0; at <= tail.length; at++) {
      const permutation = new Int32Array(n);
      permutation.set(tail.subarray(0, at));
      permutation[at] = n - 1;
      permutation.set(tail.subarray(at), at + 1);
      result.push(permutation);
    }
  }
  return result.sort((x, y) => permutationRank(x) - permutationRank(y));
}

function popcount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}

const acceptorName = (a: number): string => `a${a + 1}`;
const valueName = (v: number): string => (v === NONE ? 'None' : `v${v + 1}`);

/** The readable form of message `index`, e.g. `1b(acc=a2, bal=1, mbal=0, mval=v1)`. */
export function messageText(layout: Layout, index: number): string {
  const { acceptors: N, values: V, ballots: B } = layout;
  if (index < layout.base1b) return `1a(bal=${index})`;
  if (index < layout.base2a) {
    const offset = index - layout.base1b;
    const k = offset % layout.votesPer1b;
    const ab = (offset - k) / layout.votesPer1b;
    const a = Math.floor(ab / B);
    const b = ab % B;
    const mbal = k === 0 ? -1 : Math.floor((k - 1) / V);
    const mval = k === 0 ? NONE : (k - 1) % V;
    return `1b(acc=${acceptorName(a)}, bal=${b}, mbal=${mbal}, mval=${valueName(mval)})`;
  }
  if (index < layout.base2b) {
    const offset = index - layout.base2a;
    return `2a(bal=${Math.floor(offset / V)}, val=${valueName(offset % V)})`;
  }
  const offset = index - layout.base2b;
  const a = offset % N;
  const bv = (offset - a) / N;
  return `2b(acc=${acceptorName(a)}, bal=${Math.floor(bv / V)}, val=${valueName(bv % V)})`;
}

export function buildPaxosTla(parameters: PaxosTlaParameters, options: PaxosTlaOptions = {}): PaxosTlaModel {
  const layout = new Layout(parameters);
  const { acceptors: N, values: V, ballots: B, quorums, msgsOffset, stateWords, votesPer1b } = layout;
  const { base1b, base2a, base2b, phase1bBase, phase2aBase, phase2bBase } = layout;
  const anyValue = options.phase2aValue === 'any';
  const allValues = (1 << V) - 1;

  // States are views carved out of shared chunks: V8 allocates a typed array of more than 64
  // bytes (16 words) off the heap, which costs several times what a view on a chunk does.
  // A chunk lives while any state in it does; states are never mutated once built.
  const CHUNK_WORDS = 1 << 14;
  let chunk = new ArrayBuffer(CHUNK_WORDS * 4);
  let chunkWords = 0;
  const allocate = (): PaxosTlaState => {
    if (chunkWords + stateWords > CHUNK_WORDS) {
      chunk = new ArrayBuffer(CHUNK_WORDS * 4);
      chunkWords = 0;
    }
    const state = new Int32Array(chunk, chunkWords * 4, stateWords);
    chunkWords += stateWords;
    return state;
  };
  /**
   * Successors are written into `next` from word `at` on: a state of their own (`nextState`), or
   * the explorer's encoding buffer (`encodeSuccessor`, which spares building the successors
   * already seen). `copyInto` starts one as a copy of `state`.
   */
  const copyInto = (state: PaxosTlaState, next: Int32Array, at: number): void => {
    for (let i = 0; i < stateWords; i++) next[at + i] = state[i]!;
  };

  const has = (state: PaxosTlaState, message: number): boolean =>
    ((state[msgsOffset + (message >>> 5)]! >>> (message & 31)) & 1) === 1;

  /** Send(m): msgs' = msgs \cup {m}, on a successor being built at `at`. */
  const send = (next: Int32Array, at: number, message: number): void => {
    next[at + msgsOffset + (message >>> 5)]! |= 1 << (message & 31);
  };

  /** Init. */
  const initialState = (): PaxosTlaState => {
    const state = new Int32Array(stateWords);
    for (let a = 0; a < N; a++) {
      state[3 * a] = -1; // maxBal[a] = -1
      state[3 * a + 1] = -1; // maxVBal[a] = -1
      state[3 * a + 2] = NONE; // maxVal[a] = None
    }
    return state; // msgs = {}
  };

  /**
   * The `width` (< 32) bits of msgs from message `first` on, as an integer. The layout keeps the
   * messages the guards ask about together: the 1b messages of one (acceptor, ballot), the 2a
   * messages of one ballot, the 2b messages of one (ballot, value).
   */
  const field = (state: PaxosTlaState, first: number, width: number): number => {
    const word = msgsOffset + (first >>> 5);
    const shift = first & 31;
    let bits = state[word]! >>> shift;
    if (shift + width > 32) bits |= state[word + 1]! << (32 - shift);
    return bits & ((1 << width) - 1);
  };

  /** ~ \E m \in msgs : m.type = "2a" /\ m.bal = b */
  const has2a = (state: PaxosTlaState, b: number): boolean => field(state, base2a + b * V, V) !== 0;

  // Scratch for phase2aValues, per acceptor: the highest mbal among its ballot-b 1b messages
  // with mbal >= 0 (-1 if none), and the values (bitmask) it reports at that mbal.
  const highestMbal = new Int32Array(N);
  const valuesAtHighest = new Int32Array(N);

  /**
   * The values v (bit v) for which some Q \in Quorum satisfies
   *   LET Q1b  == {m \in msgs : m.type = "1b" /\ m.acc \in Q /\ m.bal = b}
   *       Q1bv == {m \in Q1b : m.mbal >= 0}
   *   IN  /\ \A a \in Q : \E m \in Q1b : m.acc = a
   *       /\ \/ Q1bv = {}
   *          \/ \E m \in Q1bv : m.mval = v /\ \A mm \in Q1bv : m.mbal >= mm.mbal
   * With the bug option ('any'), only the first conjunct: every value once a quorum has answered.
   */
  const phase2aValues = (state: PaxosTlaState, b: number): number => {
    let answered = 0; // acceptors a with some ballot-b 1b message
    for (let a = 0; a < N; a++) {
      // Bit k of `reports` is 1b(a, b, mbal, mval) with k = 0 for (-1, None), 1 + mbal*V + mval otherwise.
      const reports = field(state, base1b + (a * B + b) * votesPer1b, votesPer1b);
      if (reports !== 0) answered |= 1 << a;
      const votes = reports >>> 1; // a's messages in Q1bv: bit mbal*V + mval
      if (votes === 0) {
        highestMbal[a] = -1;
        valuesAtHighest[a] = 0;
      } else {
        const highest = ((31 - Math.clz32(votes)) / V) | 0;
        highestMbal[a] = highest;
        valuesAtHighest[a] = (votes >>> (highest * V)) & allValues;
      }
    }
    if (popcount(answered) < layout.majority) return 0; // no quorum Q has answered
    let allowed = 0;
    for (let q = 0; q < quorums.length; q++) {
      const quorum = quorums[q]!;
      if ((answered & quorum) !== quorum) continue;
      if (anyValue) return allValues;
      let highest = -1;
      let values = 0;
      for (let a = 0; a < N; a++) {
        if ((quorum & (1 << a)) === 0) continue;
        const mbal = highestMbal[a]!;
        if (mbal > highest) {
          highest = mbal;
          values = valuesAtHighest[a]!;
        } else if (mbal === highest) {
          values |= valuesAtHighest[a]!;
        }
      }
      allowed |= highest === -1 ? allValues : values; // Q1bv = {} or the values at its highest mbal
      if (allowed === allValues) break;
    }
    return allowed;
  };

  // Each action is an enabling condition (`...Enabled`: the unprimed conjuncts; `actions` offers
  // exactly the actions for which it holds) and a step (the primed conjuncts), which `nextState`
  // takes only when the same condition holds.

  /** Phase1a(b), less its stuttering case: 1a(b) not yet in msgs. */
  const phase1aEnabled = (state: PaxosTlaState, b: number): boolean => !has(state, layout.message1a(b));

  const phase1a = (state: PaxosTlaState, b: number, next: Int32Array, at: number): boolean => {
    if (!phase1aEnabled(state, b)) return false;
    copyInto(state, next, at);
    send(next, at, layout.message1a(b)); // Send([type |-> "1a", bal |-> b]), UNCHANGED <<maxBal, maxVBal, maxVal>>
    return true;
  };

  /** Phase1b(a) on m = 1a(b): m \in msgs /\ m.type = "1a" /\ m.bal > maxBal[a]. */
  const phase1bEnabled = (state: PaxosTlaState, a: number, b: number): boolean =>
    has(state, layout.message1a(b)) && b > state[3 * a]!;

  const phase1b = (state: PaxosTlaState, a: number, b: number, next: Int32Array, at: number): boolean => {
    if (!phase1bEnabled(state, a, b)) return false;
    copyInto(state, next, at);
    next[at + 3 * a] = b; // maxBal' = [maxBal EXCEPT ![a] = m.bal]
    send(next, at, layout.message1b(a, b, state[3 * a + 1]!, state[3 * a + 2]!)); // mbal |-> maxVBal[a], mval |-> maxVal[a]
    return true; // UNCHANGED <<maxVBal, maxVal>>
  };

  /**
   * The values v (bit v) for which Phase2a(b, v) is enabled:
   * ~ \E m \in msgs : m.type = "2a" /\ m.bal = b, and some quorum shows v safe at b.
   */
  const phase2aEnabledValues = (state: PaxosTlaState, b: number): number =>
    has2a(state, b) ? 0 : phase2aValues(state, b);

  const phase2a = (state: PaxosTlaState, b: number, v: number, next: Int32Array, at: number): boolean => {
    if ((phase2aEnabledValues(state, b) & (1 << v)) === 0) return false;
    copyInto(state, next, at);
    send(next, at, layout.message2a(b, v)); // Send([type |-> "2a", bal |-> b, val |-> v]), UNCHANGED <<maxBal, maxVBal, maxVal>>
    return true;
  };

  /**
   * Phase2b(a) on m = 2a(b, v): m \in msgs /\ m.type = "2a" /\ m.bal \geq maxBal[a], less its
   * stuttering case (a already voted for m with maxBal[a] = m.bal: nothing would change).
   */
  const phase2bEnabled = (state: PaxosTlaState, a: number, b: number, v: number): boolean =>
    has(state, layout.message2a(b, v)) &&
    b >= state[3 * a]! &&
    !(state[3 * a] === b && state[3 * a + 1] === b && state[3 * a + 2] === v && has(state, layout.message2b(a, b, v)));

  const phase2b = (state: PaxosTlaState, a: number, b: number, v: number, next: Int32Array, at: number): boolean => {
    if (!phase2bEnabled(state, a, b, v)) return false;
    copyInto(state, next, at);
    next[at + 3 * a] = b; // maxBal' = [maxBal EXCEPT ![a] = m.bal]
    next[at + 3 * a + 1] = b; // maxVBal' = [maxVBal EXCEPT ![a] = m.bal]
    next[at + 3 * a + 2] = v; // maxVal' = [maxVal EXCEPT ![a] = m.val]
    send(next, at, layout.message2b(a, b, v)); // Send([type |-> "2b", acc |-> a, bal |-> m.bal, val |-> m.val])
    return true;
  };

  /** Writes the successor of `state` under `action` into `next` from `at` on; false when the action is disabled. */
  const step = (state: PaxosTlaState, action: PaxosTlaAction, next: Int32Array, at: number): boolean => {
    if (action < phase1bBase) return phase1a(state, action, next, at);
    if (action < phase2aBase) {
      const offset = action - phase1bBase;
      return phase1b(state, Math.floor(offset / B), offset % B, next, at);
    }
    if (action < phase2bBase) {
      const offset = action - phase2aBase;
      return phase2a(state, Math.floor(offset / V), offset % V, next, at);
    }
    const offset = action - phase2bBase;
    const v = offset % V;
    const ab = (offset - v) / V;
    return phase2b(state, Math.floor(ab / B), ab % B, v, next, at);
  };

  /** Bit v set when v is chosen: some ballot b has 2b(a, b, v) from a majority. */
  const chosenValues = (state: PaxosTlaState): number => {
    let chosen = 0;
    for (let bv = 0; bv < B * V; bv++) {
      if (popcount(field(state, base2b + bv * N, N)) >= layout.majority) chosen |= 1 << bv % V;
    }
    return chosen;
  };

  const chosen = (state: PaxosTlaState): ChosenVote[] => {
    const result: ChosenVote[] = [];
    for (let b = 0; b < B; b++) {
      for (let v = 0; v < V; v++) {
        const voters: number[] = [];
        for (let a = 0; a < N; a++) if (has(state, layout.message2b(a, b, v))) voters.push(a);
        if (voters.length >= layout.majority) result.push({ ballot: b, value: v, voters });
      }
    }
    return result;
  };

  const explainChosen = (state: PaxosTlaState): string => {
    const votes = chosen(state);
    if (votes.length === 0) return 'no value is chosen';
    return votes
      .map(
        (vote) =>
          `${valueName(vote.value)} chosen at ballot ${vote.ballot} by {${vote.voters.map(acceptorName).join(',')}}`,
      )
      .join('; ');
  };

  const messages = (state: PaxosTlaState): string[] => {
    const texts: string[] = [];
    for (let index = 0; index < layout.messageCount; index++) if (has(state, index)) texts.push(messageText(layout, index));
    return texts.sort();
  };

  const properties: Property<PaxosTlaState>[] = [
    {
      name: 'Consistency',
      kind: 'always',
      holds: (state) => {
        const mask = chosenValues(state);
        return (mask & (mask - 1)) === 0;
      },
      explain: explainChosen,
    },
    {
      name: 'ValueChosen',
      kind: 'sometimes',
      holds: (state) => chosenValues(state) !== 0,
      explain: explainChosen,
    },
  ];

  const symmetry = paxosTlaSymmetry(layout, allocate);

  const participants: string[] = [];
  for (let b = 0; b < B; b++) participants.push(`leader${b}`);
  for (let a = 0; a < N; a++) participants.push(acceptorName(a));

  return {
    name: options.name ?? 'paxos-tla',
    layout,
    participants,
    properties,
    symmetry,
    chosen,
    messages,

    initialStates: () => [initialState()],

    actions(state: PaxosTlaState, out: PaxosTlaAction[]): void {
      // \E b \in Ballot : Phase1a(b) \/ \E v \in Value : Phase2a(b, v)
      for (let b = 0; b < B; b++) {
        if (phase1aEnabled(state, b)) out.push(b);
        const values = phase2aEnabledValues(state, b);
        for (let v = 0; v < V; v++) if (values & (1 << v)) out.push(phase2aBase + b * V + v);
      }
      // \E a \in Acceptor : Phase1b(a) \/ Phase2b(a), one action per message m
      for (let a = 0; a < N; a++) {
        for (let b = 0; b < B; b++) if (phase1bEnabled(state, a, b)) out.push(phase1bBase + a * B + b);
        for (let b = 0; b < B; b++) {
          for (let v = 0; v < V; v++) if (phase2bEnabled(state, a, b, v)) out.push(phase2bBase + (a * B + b) * V + v);
        }
      }
    },

    nextState(state: PaxosTlaState, action: PaxosTlaAction): PaxosTlaState | undefined {
      const next = allocate();
      if (step(state, action, next, 0)) return next;
      // Disabled (callers such as replay may ask for any action): the words go back to the chunk.
      chunkWords -= stateWords;
      return undefined;
    },

    encodeSuccessor(state: PaxosTlaState, action: PaxosTlaAction, out: WordWriter): boolean {
      out.reserve(stateWords);
      if (!step(state, action, out.words, out.length)) return false;
      out.length += stateWords;
      return true;
    },

    encode(state: PaxosTlaState, out: WordWriter): void {
      out.reserve(stateWords);
      const words = out.words;
      const at = out.length;
      for (let i = 0; i < stateWords; i++) words[at + i] = state[i]!;
      out.length = at + stateWords;
    },

    decode(input: WordReader): PaxosTlaState {
      const at = input.position;
      if (input.end - at < stateWords) throw new RangeError('decode read past the end of the encoded state');
      const words = input.words;
      const state = allocate();
      for (let i = 0; i < stateWords; i++) state[i] = words[at + i]!;
      input.position = at + stateWords;
      return state;
    },

    formatAction(state: PaxosTlaState, action: PaxosTlaAction): string {
      if (action < phase1bBase) return `Phase1a(${action})`;
      if (action < phase2aBase) {
        const offset = action - phase1bBase;
        return `Phase1b(${acceptorName(Math.floor(offset / B))}) on 1a(bal=${offset % B})`;
      }
      if (action < phase2bBase) {
        const offset = action - phase2aBase;
        return `Phase2a(${Math.floor(offset / V)}, ${valueName(offset % V)})`;
      }
      const offset = action - phase2bBase;
      const v = offset % V;
      const ab = (offset - v) / V;
      return `Phase2b(${acceptorName(Math.floor(ab / B))}) on 2a(bal=${ab % B}, val=${valueName(v)})`;
    },

    describeState(state: PaxosTlaState): Record<string, unknown> {
      const maxBal: Record<string, number> = {};
      const maxVBal: Record<string, number> = {};
      const maxVal: Record<string, string> = {};
      for (let a = 0; a < N; a++) {
        maxBal[acceptorName(a)] = state[3 * a]!;
        maxVBal[acceptorName(a)] = state[3 * a + 1]!;
        maxVal[acceptorName(a)] = valueName(state[3 * a + 2]!);
      }
      return { maxBal, maxVBal, maxVal, msgs: messages(state) };
    },
  };
}

/**
 * Symmetry: acceptors are interchangeable, and so are values (Paxos.tla treats both alike; ballots
 * are ordered, so not). A renaming (pi, sigma) moves acceptor a's words to acceptor pi(a), maps
 * maxVal by sigma, and renames each message through the Layout's tables: 1b(a, b, mbal, mval) to
 * 1b(pi(a), b, mbal, sigma(mval)), 2a(b, v) to 2a(b, sigma(v)), 2b(a, b, v) to 2b(pi(a), b, sigma(v)).
 *
 * The representative is exact (the same for every renaming of the state): it is the least state,
 * word by word, among the renamings that sort the members by a key that renaming does not change.
 * A value's key counts what it appears in (acceptors with maxVal = v; per ballot, the 2a for v and
 * the 2b votes for it; per (ballot, mbal), the 1b messages reporting it); an acceptor's key is its
 * maxBal, maxVBal, then maxVal and its 1b and 2b messages per ballot with each value replaced by the
 * rank of its key among the values' keys (by the value itself when values are not renamed). Keys
 * are the same for a member and its image under any renaming of both sets, so every state of an
 * orbit sorts to the same set of renamed states: only members with equal keys are tried in every
 * order. The orbit size is |G| / |stabiliser|, with G the product of the renamed sets' symmetric
 * groups and the stabiliser the renamings (all among those tried) that give the representative.
 * When the values' keys are all different, acceptors with equal keys are identical, so one order
 * of them is tried and the others are counted into the stabiliser without renaming.
 */
function paxosTlaSymmetry(layout: Layout, allocate: () => PaxosTlaState): Symmetry<PaxosTlaState> {
  const { acceptors: N, values: V, ballots: B, votesPer1b: K, msgsOffset, stateWords, messageCount: M } = layout;
  const msgsWords = stateWords - msgsOffset;

  // Each message, decoded: kind (0: 1a, 1: 1b, 2: 2a, 3: 2b), acceptor, ballot, mbal, value.
  const kindOf = new Int8Array(M);
  const acceptorOf = new Int32Array(M).fill(-1);
  const ballotOf = new Int32Array(M);
  const mbalOf = new Int32Array(M).fill(-1);
  const valueOf = new Int32Array(M).fill(NONE);
  for (let b = 0; b < B; b++) {
    ballotOf[layout.message1a(b)] = b;
    for (let v = 0; v < V; v++) {
      const m2a = layout.message2a(b, v);
      kindOf[m2a] = 2;
      ballotOf[m2a] = b;
      valueOf[m2a] = v;
    }
    for (let a = 0; a < N; a++) {
      for (let k = 0; k < K; k++) {
        const m1b = layout.base1b + (a * B + b) * K + k;
        kindOf[m1b] = 1;
        acceptorOf[m1b] = a;
        ballotOf[m1b] = b;
        if (k > 0) {
          mbalOf[m1b] = Math.floor((k - 1) / V);
          valueOf[m1b] = (k - 1) % V;
        }
      }
      for (let v = 0; v < V; v++) {
        const m2b = layout.message2b(a, b, v);
        kindOf[m2b] = 3;
        acceptorOf[m2b] = a;
        ballotOf[m2b] = b;
        valueOf[m2b] = v;
      }
    }
  }

  // Keys, one row per member, compared word by word.
  const valueKeyLength = 1 + 2 * B + B * B;
  const valueKeys = new Int32Array(V * valueKeyLength);
  const acceptorKeyLength = 3 + 2 * B;
  const acceptorKeys = new Int32Array(N * acceptorKeyLength);
  const valueClass = new Int32Array(V);

  /** `out` = `state` with acceptor a renamed acceptorMap[a] and value v renamed valueMap[v]. */
  const rename = (
    state: PaxosTlaState,
    acceptorMap: Int32Array,
    valueMap: Int32Array,
    acceptorTable: Int32Array,
    valueTable: Int32Array,
    out: Int32Array,
  ): void => {
    for (let a = 0; a < N; a++) {
      const to = 3 * acceptorMap[a]!;
      out[to] = state[3 * a]!;
      out[to + 1] = state[3 * a + 1]!;
      const value = state[3 * a + 2]!;
      out[to + 2] = value === NONE ? NONE : valueMap[value]!;
    }
    for (let w = 0; w < msgsWords; w++) out[msgsOffset + w] = 0;
    for (let w = 0; w < msgsWords; w++) {
      let bits = state[msgsOffset + w]!;
      while (bits !== 0) {
        const lowest = bits & -bits;
        bits ^= lowest;
        const renamed = acceptorTable[valueTable[(w << 5) + 31 - Math.clz32(lowest)]!]!;
        out[msgsOffset + (renamed >>> 5)]! |= 1 << (renamed & 31);
      }
    }
  };

  const acceptorMembers = new SymmetricMembers(acceptorKeys, acceptorKeyLength, N);
  const valueMembers = new SymmetricMembers(valueKeys, valueKeyLength, V);
  const acceptorMap = new Int32Array(N);
  const valueMap = new Int32Array(V);
  let best = new Int32Array(stateWords);
  let trial = new Int32Array(stateWords);
  const identityAcceptors = identity(N);
  const identityValues = identity(V);
  const identityTable = identity(M);
  const acceptorGroupOrder = factorial(N);
  const valueGroupOrder = factorial(V);

  return {
    sets: ['acceptors', 'values'],
    sizes: { acceptors: N, values: V },
    exact: true,
    representative(state, sets, orbit) {
      const renameAcceptors = sets.includes('acceptors');
      const renameValues = sets.includes('values');
      const groupOrder = (renameAcceptors ? acceptorGroupOrder : 1) * (renameValues ? valueGroupOrder : 1);
      if (groupOrder === 1) {
        orbit.size = 1;
        return state;
      }

      // Values: keys, then each value's class (the rank of its key); values not renamed are their own class.
      if (renameValues) {
        valueKeys.fill(0);
        for (let a = 0; a < N; a++) {
          const value = state[3 * a + 2]!;
          if (value !== NONE) valueKeys[value * valueKeyLength]!++;
        }
        for (let w = 0; w < msgsWords; w++) {
          let bits = state[msgsOffset + w]!;
          while (bits !== 0) {
            const lowest = bits & -bits;
            bits ^= lowest;
            const message = (w << 5) + 31 - Math.clz32(lowest);
            const value = valueOf[message]!;
            if (value === NONE) continue;
            const row = value * valueKeyLength;
            const kind = kindOf[message]!;
            if (kind === 2) valueKeys[row + 1 + ballotOf[message]!] = 1;
            else if (kind === 3) valueKeys[row + 1 + B + ballotOf[message]!]!++;
            else valueKeys[row + 1 + 2 * B + ballotOf[message]! * B + mbalOf[message]!]!++;
          }
        }
        valueMembers.sort();
        valueMembers.classes(valueClass);
      } else {
        valueMembers.fix();
        for (let v = 0; v < V; v++) valueClass[v] = v;
      }

      // Acceptors: maxBal, maxVBal, the class of maxVal, then per ballot the 1b and the 2b messages
      // it sent, as bitmasks of their (mbal, class of mval) and of the class of their value.
      if (renameAcceptors) {
        acceptorKeys.fill(0);
        for (let a = 0; a < N; a++) {
          const row = a * acceptorKeyLength;
          const value = state[3 * a + 2]!;
          acceptorKeys[row] = state[3 * a]!;
          acceptorKeys[row + 1] = state[3 * a + 1]!;
          acceptorKeys[row + 2] = value === NONE ? -1 : valueClass[value]!;
        }
        for (let w = 0; w < msgsWords; w++) {
          let bits = state[msgsOffset + w]!;
          while (bits !== 0) {
            const lowest = bits & -bits;
            bits ^= lowest;
            const message = (w << 5) + 31 - Math.clz32(lowest);
            const kind = kindOf[message]!;
            if (kind === 1) {
              const value = valueOf[message]!;
              const bit = value === NONE ? 0 : 1 + mbalOf[message]! * V + valueClass[value]!;
              acceptorKeys[acceptorOf[message]! * acceptorKeyLength + 3 + ballotOf[message]!]! |= 1 << bit;
            } else if (kind === 3) {
              acceptorKeys[acceptorOf[message]! * acceptorKeyLength + 3 + B + ballotOf[message]!]! |= 1 << valueClass[valueOf[message]!]!;
            }
          }
        }
        acceptorMembers.sort();
      } else {
        acceptorMembers.fix();
      }

      // When no two values share a class, an acceptor's key describes it completely (its words and
      // every message naming it): acceptors with equal keys are then identical, every reordering
      // within their groups fixes the state, and one ordering stands for all of them.
      const valueCandidates = valueMembers.candidates;
      const acceptorsIdenticalWithinGroups = valueCandidates === 1;
      const acceptorCandidates = acceptorsIdenticalWithinGroups ? 1 : acceptorMembers.candidates;
      const stabiliserFactor = acceptorsIdenticalWithinGroups ? acceptorMembers.candidates : 1;
      let stabiliser = 0;
      let first = true;
      for (let ac = 0; ac < acceptorCandidates; ac++) {
        const acceptorsFixed = acceptorMembers.candidate(ac, acceptorMap);
        const acceptorTable = acceptorsFixed ? identityTable : layout.acceptorRenaming(acceptorMap);
        for (let vc = 0; vc < valueCandidates; vc++) {
          const valuesFixed = valueMembers.candidate(vc, valueMap);
          if (acceptorsFixed && valuesFixed && acceptorCandidates * valueCandidates === 1) {
            orbit.size = groupOrder / stabiliserFactor;
            return state; // already sorted, and the only renaming to try is the identity
          }
          const valueTable = valuesFixed ? identityTable : layout.valueRenaming(valueMap);
          rename(state, acceptorsFixed ? identityAcceptors : acceptorMap, valuesFixed ? identityValues : valueMap, acceptorTable, valueTable, trial);
          let order = -1;
          if (!first) {
            order = 0;
            for (let i = 0; i < stateWords; i++) {
              const difference = trial[i]! - best[i]!;
              if (difference !== 0) {
                order = difference;
                break;
              }
            }
          }
          first = false;
          if (order < 0) {
            const swap = best;
            best = trial;
            trial = swap;
            stabiliser = 1;
          } else if (order === 0) {
            stabiliser++;
          }
        }
      }
      orbit.size = groupOrder / (stabiliser * stabiliserFactor);
      const representative = allocate();
      for (let i = 0; i < stateWords; i++) representative[i] = best[i]!;
      return representative;
    },
  };
}

/**
 * The members of one symmetric set, sorted by a rename-invariant key (one row of `keys` each), and
 * the renamings that keep them sorted: every order within each group of equal keys.
 */
class SymmetricMembers {
  /** order[p]: the member at sorted position p (ties by index). */
  readonly order: Int32Array;
  /** Sizes of the groups of equal keys, in sorted order. */
  private readonly groupSizes: Int32Array;
  private groupCount = 0;
  /** How many renamings keep the members sorted: the product of the groups' factorials. */
  candidates = 1;
  private static readonly permutations: Int32Array[][] = [];

  constructor(
    private readonly keys: Int32Array,
    private readonly length: number,
    private readonly count: number,
  ) {
    this.order = new Int32Array(count);
    this.groupSizes = new Int32Array(count);
  }

  private compare(x: number, y: number): number {
    const keys = this.keys;
    const length = this.length;
    for (let i = 0; i < length; i++) {
      const difference = keys[x * length + i]! - keys[y * length + i]!;
      if (difference !== 0) return difference;
    }
    return 0;
  }

  /** Sorts the members by key (insertion sort: sets are small) and groups equal keys. */
  sort(): void {
    const { order, count } = this;
    for (let i = 0; i < count; i++) order[i] = i;
    for (let i = 1; i < count; i++) {
      const member = order[i]!;
      let j = i - 1;
      while (j >= 0 && this.compare(order[j]!, member) > 0) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = member;
    }
    this.groupCount = 0;
    this.candidates = 1;
    let size = 1;
    for (let i = 1; i <= count; i++) {
      if (i < count && this.compare(order[i - 1]!, order[i]!) === 0) size++;
      else {
        this.groupSizes[this.groupCount++] = size;
        this.candidates *= factorial(size);
        size = 1;
      }
    }
  }

  /** No renaming of this set: the identity is the only candidate. */
  fix(): void {
    for (let i = 0; i < this.count; i++) {
      this.order[i] = i;
      this.groupSizes[i] = 1;
    }
    this.groupCount = this.count;
    this.candidates = 1;
  }

  /** classes[member] = the index of its group: a rename-invariant name for it. */
  classes(classes: Int32Array): void {
    let position = 0;
    for (let group = 0; group < this.groupCount; group++) {
      for (let i = 0; i < this.groupSizes[group]!; i++) classes[this.order[position++]!] = group;
    }
  }

  /**
   * The `index`-th renaming that keeps the members sorted (mixed radix over the groups):
   * map[member] = the position it moves to. Returns whether it is the identity.
   */
  candidate(index: number, map: Int32Array): boolean {
    const order = this.order;
    let start = 0;
    let rest = index;
    let isIdentity = true;
    for (let group = 0; group < this.groupCount; group++) {
      const size = this.groupSizes[group]!;
      if (size === 1) {
        const member = order[start]!;
        map[member] = start;
        if (member !== start) isIdentity = false;
        start++;
        continue;
      }
      const orderings = (SymmetricMembers.permutations[size] ??= permutationsOf(size));
      const permutation = orderings[rest % orderings.length]!;
      rest = Math.floor(rest / orderings.length);
      for (let i = 0; i < size; i++) {
        const member = order[start + permutation[i]!]!;
        map[member] = start + i;
        if (member !== start + i) isIdentity = false;
      }
      start += size;
    }
    return isIdentity;
  }
}

export default defineSpec({
  name: 'paxos-tla',
  description: "Lamport's Paxos.tla (tlaplus Examples), transcribed: msgs is the set of all messages ever sent",
  parameters: paxosTlaParameters,
  build: (parameters) => buildPaxosTla(parameters),
});

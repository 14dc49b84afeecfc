/**
 * Breadth-first exploration of every reachable state. Because states are met in order of depth,
 * the first violating state found has a shortest counterexample.
 *
 * Memory per distinct state is the visited set's fingerprint slot and the trace store's record;
 * the frontier holds packed encodings, decoded only when a state is expanded.
 */
import { WordReader, WordWriter, type FingerprintHalves, type Model } from '../model.ts';
import { Fingerprinter, collisionProbability, encodeAndFingerprint, fingerprintsItself } from '../store/fingerprint.ts';
import { OpenAddressingFingerprintSet, type FingerprintSet } from '../store/fingerprint-set.ts';
import { StateQueue } from '../store/state-queue.ts';
import { NO_PARENT, TraceStore } from '../store/trace-store.ts';
import {
  DepthLimitProbe,
  PropertyChecker,
  SuccessorLook,
  appendNewSuccessor,
  describeModelError,
  initialStatesOf,
  encodeSuccessorInto,
  foundStatistics,
  propertyThrew,
  stopsAtOnce,
} from './visit.ts';
import { RunControl } from './run-control.ts';
import { FingerprintAudit } from './audit.ts';
import { ContractCheck } from './contract-check.ts';
import { SymmetryReduction } from './symmetry.ts';
import type { CheckResult, CheckStatus, ExploreOptions, IncompleteReason, ModelError } from './result.ts';

/** A finished exploration: the result, plus the stores a counterexample is rebuilt from. */
export interface Exploration {
  readonly result: CheckResult;
  readonly visited: FingerprintSet;
  readonly traces: TraceStore;
}

export interface BreadthFirstOptions<State = unknown, Action = unknown> extends ExploreOptions {
  /**
   * With `audit`: a second instance of the model (under symmetry, of the reduced model's base),
   * built apart from the same parameters, whose successors of every state the audit compares with
   * the model's (see ContractCheck): one instance alone cannot show a model that is not a
   * function of its arguments, because a model may remember its first answer (as the actors layer does).
   */
  readonly auditTwin?: Model<State, Action>;
  /**
   * For tests: another hash of encodings, e.g. a weak one, to show that the audit finds
   * collisions. A model that fingerprints states itself (`fingerprintsItself`) does not use it.
   */
  readonly fingerprinter?: Fingerprinter;
  /**
   * States expanded between two looks at the clock, Ctrl-C and the limits (default 1,024, which
   * keeps the hot loop to a counter): 1 for a short run whose every state costs much, as the
   * symmetry probe's audit does, so that it stops on time.
   */
  readonly statesBetweenChecks?: number;
}

export async function exploreBreadthFirst<State, Action>(
  model: Model<State, Action>,
  options: BreadthFirstOptions<State, Action> = {},
): Promise<Exploration> {
  const control = new RunControl(options, options.statesBetweenChecks);
  const writer = new WordWriter();
  const audit = options.audit ? new FingerprintAudit(model, writer, fingerprintsItself(model)) : undefined;
  const contract = options.audit ? new ContractCheck(model, writer, options.auditTwin) : undefined;
  const plainVisited = new OpenAddressingFingerprintSet();
  const visited: FingerprintSet = audit ? audit.wrap(plainVisited) : plainVisited;
  const traces = new TraceStore();
  const checker = new PropertyChecker(model.properties);
  const queue = new StateQueue();
  const reader = new WordReader(writer.words);
  const fingerprint = options.fingerprinter ?? new Fingerprinter();
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;

  const reduction = model instanceof SymmetryReduction ? model : undefined;
  let unreducedStates = 0;
  let orbitsKnown = true;
  let transitions = 0;
  let depth = 0;
  let currentDepth = 1;
  let nextLevelFirstRecord = 0;
  let stopReason: IncompleteReason | undefined;
  let violated = false;
  let settled = false;
  let error: ModelError | undefined;
  let expandingRecord = -1;
  let expandingState: State | undefined;
  let currentAction: Action | undefined;

  const progress = () => ({ distinctStates: visited.size, transitions, depth, frontier: queue.length });

  // Properties are checked when a state is taken from the frontier to be expanded, on the state
  // decoded there, not when it is found: that spares building each new state for the checks.
  // States are expanded in the order they were found (records are given in that order), so the
  // checks run in the same order and meet the same first violation and the same witnesses; the
  // frontier keeps the number of transitions taken when each state was found, so a run that stops
  // at a state reports the statistics of the moment it was found. Before an event met while
  // expanding (a terminal state that fails, the model throwing, --max-states) the states found
  // earlier are checked first (`checkFrontier`), as they would have been when found.
  let shifted = 0;
  let record = -1;
  /** The state checked last: its record, frontier tag and depth (see `foundStatistics`). */
  let checkedRecord = -1;
  let checkedTag = 0;
  let checkedDepth = 0;
  /** The run stopped at the state checked last (a violation, settled, a property that threw). */
  let stoppedAtChecked = false;
  const modelFingerprints = fingerprintsItself(model);
  const expandingFingerprint: FingerprintHalves = { high: 0, low: 0 };
  const successors = new SuccessorLook(model, writer, fingerprint, (action) => (currentAction = action));
  const limitProbe = new DepthLimitProbe(model, checker, successors, visited, (action) => (currentAction = action), audit && contract && { audit, contract, writer });

  /** Takes the next state from the frontier and decodes it (sets `record` and `currentDepth`); undefined when empty. */
  const next = (): State | undefined => {
    if (!queue.shift()) return undefined;
    record = shifted++;
    expandingRecord = record;
    if (record >= nextLevelFirstRecord) {
      currentDepth++;
      nextLevelFirstRecord = traces.size;
    }
    reader.words = queue.words;
    reader.position = queue.start;
    reader.end = queue.end;
    expandingFingerprint.high = queue.fingerprintHigh;
    expandingFingerprint.low = queue.fingerprintLow;
    return model.decode(reader, modelFingerprints ? expandingFingerprint : undefined);
  };
  /** The record of the state whose check is running (-1: none): a property that throws stops the run there. */
  let checking = -1;
  /** Checks a state taken from the frontier; true when the run stops at it (a violation, or settled). */
  const check = (state: State): boolean => {
    checking = record;
    checkedRecord = record;
    checkedTag = queue.tag;
    checkedDepth = currentDepth;
    violated = checker.checkNew(state, record);
    settled = !violated && checker.settled;
    checking = -1;
    if (!violated && !settled) return false;
    // Found before any limit was met (the limits are met while expanding, checks when found).
    stopReason = undefined;
    stoppedAtChecked = true;
    return true;
  };
  /** Checks the states left in the frontier, in order, until one stops the run; true when one does. */
  const checkFrontier = (): boolean => {
    for (;;) {
      let state: State | undefined;
      try {
        state = next();
      } catch {
        // A state that cannot be decoded (the model breaks its contract): the event stands, as in
        // the parallel explorer.
        return false;
      }
      if (state === undefined) return false;
      if (check(state)) return true;
    }
  };

  try {
    const initialStates = initialStatesOf(model);
    for (let index = 0; index < initialStates.length; index++) {
      const state = initialStates[index]!;
      encodeAndFingerprint(model, state, writer, fingerprint);
      if (contract) contract.initial(state, fingerprint.high, fingerprint.low);
      if (!visited.addIfAbsent(fingerprint.high, fingerprint.low)) continue;
      traces.add(NO_PARENT, index);
      if (reduction) {
        unreducedStates += reduction.orbitOfLastEncoded;
        if (reduction.orbitOfLastEncoded === 0) orbitsKnown = false;
      }
      depth = 1;
      queue.push(0, fingerprint.high, fingerprint.low, writer.words, writer.length);
    }
    nextLevelFirstRecord = traces.size;

    let full = visited.size >= maxStates;
    // Read once: read in the loop, only at a state with no other successor, it would be first met
    // in optimised code and throw it away (see OpenAddressingFingerprintSet's constructor).
    const hasTerminalChecks = checker.hasTerminalChecks;
    expansion: for (;;) {
      expandingState = undefined;
      const state = next();
      if (state === undefined) break;
      expandingState = state;
      if (check(state)) break;
      if (currentDepth >= maxDepth) {
        // Not expanded: probed, to learn whether the limit cut anything off (see DepthLimitProbe).
        if (limitProbe.probe(state, record, queue.fingerprintHigh, queue.fingerprintLow)) {
          // A terminal violation: unless a state found earlier stops the run first.
          if (!checkFrontier()) violated = true;
          break;
        }
        if (limitProbe.cutOff) stopReason = 'max-depth';
        // Probing costs what expanding does, and the rest of the level once the limit cut something
        // off is still checked (and probed for terminal states when a terminal property is
        // checked): a wide level at the limit must still see Ctrl-C.
        if (control.tick()) {
          const reason = await control.pause(progress);
          if (reason) {
            stopReason = reason;
            break;
          }
        }
        continue;
      }
      const parentRecord = record;
      const parentHigh = queue.fingerprintHigh;
      const parentLow = queue.fingerprintLow;
      // A fresh array: emptying one by setting its length frees its storage, which costs more.
      const actions: Action[] = [];
      model.actions(state, actions);
      let hasOtherSuccessor = false;
      successors.begin(state, actions);
      for (let index = 0; index < actions.length; index++) {
        const action = actions[index]!;
        currentAction = action;
        if (!successors.take(index)) {
          if (contract) contract.disabled(state, action);
          continue;
        }
        let encoded = successors.encoded;
        const high = successors.high;
        const low = successors.low;
        transitions++;
        if (audit && !encoded) {
          encodeSuccessorInto(model, state, action, writer);
          encoded = true;
        }
        if (contract) contract.successor(state, action, high, low);
        if (high === parentHigh && low === parentLow) {
          // A self-loop is a hit on the parent's fingerprint: the audit compares it too.
          if (audit) audit.met(high, low);
          continue;
        }
        hasOtherSuccessor = true;
        if (full) {
          if (visited.has(high, low)) continue;
          stopReason = 'max-states';
          break expansion;
        }
        if (!visited.addIfAbsent(high, low)) continue;
        traces.add(parentRecord, index);
        if (reduction) {
          unreducedStates += reduction.orbitOfLastEncoded;
          if (reduction.orbitOfLastEncoded === 0) orbitsKnown = false;
        }
        if (currentDepth + 1 > depth) depth = currentDepth + 1;
        // Tagged with the transitions so far (see `check`); one not encoded yet is encoded straight into the frontier.
        if (encoded) {
          queue.push(transitions | 0, high, low, writer.words, writer.length);
        } else {
          appendNewSuccessor(model, state, action, queue.beginEntry(transitions | 0, high, low));
          queue.endEntry();
        }
        if (visited.size >= maxStates) full = true;
      }
      currentAction = undefined;
      if (!hasOtherSuccessor && hasTerminalChecks && checker.checkTerminal(state, parentRecord)) {
        // A terminal violation: unless a state found earlier stops the run first.
        if (!checkFrontier()) violated = true;
        break;
      }
      if (control.tick()) {
        stopReason = await control.pause(progress);
        if (stopReason) break;
      }
    }
    // Stopped by --max-states: the states found but not expanded are checked too, so that the
    // counts are exact. Other limits (time, memory, Ctrl-C) stop at once instead, and report the
    // moment the state checked last was found: every state counted has been checked.
    if (stopReason === 'max-states') checkFrontier();
  } catch (thrown) {
    let failure = thrown;
    if (checking < 0) {
      error = describeModelError(model, thrown, expandingState, currentAction, currentDepth, expandingRecord, traces);
      // The states found before the model threw are checked, as they would have been when found
      // (when building the initial states threw, those before it: they are the first level).
      if (shifted === 0) nextLevelFirstRecord = traces.size;
      try {
        if (checkFrontier()) error = undefined;
      } catch (again) {
        failure = again;
      }
    }
    if (checking >= 0) {
      error = propertyThrew(model, failure, checking, currentDepth, traces);
      stoppedAtChecked = true;
    }
  }
  // When the depth limit cut nothing off the run is the full run, and counts what the probes took
  // (not when Ctrl-C or a limit stopped it while probing: its counts are of the last state checked).
  if (stopReason === undefined) transitions += limitProbe.transitions;
  const stoppedAt =
    stoppedAtChecked || (stopsAtOnce(stopReason) && checkedRecord >= 0)
      ? foundStatistics(checkedRecord, checkedTag, checkedDepth, transitions)
      : undefined;

  control.sampleMemory();
  const seconds = control.seconds();
  const distinctStates = stoppedAt?.distinctStates ?? visited.size;
  const pathTo = (record: number) => traces.pathTo(record);
  const complete = !violated && !error && !stopReason;
  const violation = error ? undefined : checker.violation(pathTo, complete);
  let status: CheckStatus;
  if (error) status = 'error';
  else if (violated) status = 'violation';
  else if (stopReason) status = 'incomplete';
  else status = violation ? 'violation' : 'ok';

  const result: CheckResult = {
    status,
    statistics: {
      distinctStates,
      transitions: stoppedAt?.transitions ?? transitions,
      depth: stoppedAt?.depth ?? depth,
      seconds,
      statesPerSecond: seconds > 0 ? distinctStates / seconds : distinctStates,
      peakMemoryBytes: control.peakMemoryBytes,
      storeBytes: visited.approximateBytes() + traces.approximateBytes(),
      collisionProbability: collisionProbability(distinctStates),
      ...(audit ? { audit: audit.statistics() } : {}),
    },
    properties: checker.outcomes(pathTo),
    ...(violation ? { violation } : {}),
    ...(status === 'incomplete' && stopReason ? { incompleteReason: stopReason } : {}),
    ...(error ? { error } : {}),
    ...(settled && status === 'ok' ? { settledEarly: true as const } : {}),
    ...(reduction
      ? {
          symmetry: {
            sets: reduction.sets,
            // Orbits are counted as states are found: unknown for a run stopped at a state found earlier.
            ...(orbitsKnown && !stoppedAt && unreducedStates > 0
              ? { unreducedStates, reductionFactor: distinctStates > 0 ? unreducedStates / distinctStates : 1 }
              : {}),
            canonicalisingSeconds: reduction.canonicalisingMilliseconds / 1000,
          },
        }
      : {}),
  };
  return { result, visited, traces };
}

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
  PropertyChecker,
  SuccessorLook,
  appendNewSuccessor,
  builtSuccessor,
  describeAction,
  encodeSuccessorInto,
  modelThrew,
} from './visit.ts';
import { RunControl } from './run-control.ts';
import { FingerprintAudit } from './audit.ts';
import { SymmetryReduction } from './symmetry.ts';
import type { CheckResult, CheckStatus, ExploreOptions, IncompleteReason, ModelError } from './result.ts';

/** A finished exploration: the result, plus the stores a counterexample is rebuilt from. */
export interface Exploration {
  readonly result: CheckResult;
  readonly visited: FingerprintSet;
  readonly traces: TraceStore;
}

export interface BreadthFirstOptions extends ExploreOptions {
  /**
   * For tests: another hash of encodings, e.g. a weak one, to show that the audit finds
   * collisions. A model that fingerprints states itself (`fingerprintsItself`) does not use it.
   */
  readonly fingerprinter?: Fingerprinter;
}

export async function exploreBreadthFirst<State, Action>(
  model: Model<State, Action>,
  options: BreadthFirstOptions = {},
): Promise<Exploration> {
  const control = new RunControl(options);
  const writer = new WordWriter();
  const audit = options.audit ? new FingerprintAudit(model, writer) : undefined;
  const visited: FingerprintSet = audit ? audit.wrap(new OpenAddressingFingerprintSet()) : new OpenAddressingFingerprintSet();
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

  try {
    const initialStates = model.initialStates();
    for (let index = 0; index < initialStates.length; index++) {
      const state = initialStates[index]!;
      encodeAndFingerprint(model, state, writer, fingerprint);
      if (!visited.addIfAbsent(fingerprint.high, fingerprint.low)) continue;
      const record = traces.add(NO_PARENT, index);
      if (reduction) {
        unreducedStates += reduction.orbitOfLastEncoded;
        if (reduction.orbitOfLastEncoded === 0) orbitsKnown = false;
      }
      depth = 1;
      if (checker.checkNew(state, record)) {
        violated = true;
        break;
      }
      if (checker.settled) {
        settled = true;
        break;
      }
      queue.push(record, fingerprint.high, fingerprint.low, writer.words, writer.length);
    }
    nextLevelFirstRecord = traces.size;

    // The model's own successor fingerprints spare encoding the successors already seen.
    const modelFingerprints = fingerprintsItself(model);
    const expandingFingerprint: FingerprintHalves = { high: 0, low: 0 };
    const successors = new SuccessorLook(model, writer, fingerprint, (action) => (currentAction = action));
    let full = visited.size >= maxStates;
    expansion: while (!violated && !settled && queue.shift()) {
      const parentRecord = queue.record;
      if (parentRecord >= nextLevelFirstRecord) {
        currentDepth++;
        nextLevelFirstRecord = traces.size;
      }
      if (currentDepth >= maxDepth) {
        stopReason = 'max-depth';
        continue;
      }
      const parentHigh = queue.fingerprintHigh;
      const parentLow = queue.fingerprintLow;
      reader.words = queue.words;
      reader.position = queue.start;
      reader.end = queue.end;
      expandingRecord = parentRecord;
      expandingState = undefined;
      expandingFingerprint.high = parentHigh;
      expandingFingerprint.low = parentLow;
      const state = model.decode(reader, modelFingerprints ? expandingFingerprint : undefined);
      expandingState = state;
      // A fresh array: emptying one by setting its length frees its storage, which costs more.
      const actions: Action[] = [];
      model.actions(state, actions);
      let hasOtherSuccessor = false;
      successors.begin(state, actions);
      for (let index = 0; index < actions.length; index++) {
        const action = actions[index]!;
        currentAction = action;
        if (!successors.take(index)) continue;
        let encoded = successors.encoded;
        let next = successors.next;
        const high = successors.high;
        const low = successors.low;
        transitions++;
        if (audit && !encoded) {
          next = encodeSuccessorInto(model, state, action, writer) as State | undefined;
          encoded = true;
        }
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
        const record = traces.add(parentRecord, index);
        if (reduction) {
          unreducedStates += reduction.orbitOfLastEncoded;
          if (reduction.orbitOfLastEncoded === 0) orbitsKnown = false;
        }
        if (currentDepth + 1 > depth) depth = currentDepth + 1;
        // A successor not encoded yet is encoded straight into the frontier.
        if (!encoded) next = appendNewSuccessor(model, state, action, queue.beginEntry(record, high, low));
        next ??= builtSuccessor(model, state, action);
        if (checker.checkNew(next, record)) {
          violated = true;
          break expansion;
        }
        if (checker.settled) {
          settled = true;
          break expansion;
        }
        if (encoded) queue.push(record, high, low, writer.words, writer.length);
        else queue.endEntry();
        if (visited.size >= maxStates) full = true;
      }
      currentAction = undefined;
      if (!hasOtherSuccessor && checker.hasTerminalChecks && checker.checkTerminal(state, parentRecord)) {
        violated = true;
        break;
      }
      if (control.tick()) {
        stopReason = await control.pause(progress);
        if (stopReason) break;
      }
    }
  } catch (thrown) {
    error = describeModelError(model, thrown, expandingState, currentAction, currentDepth, expandingRecord, traces);
  }

  control.sampleMemory();
  const seconds = control.seconds();
  const distinctStates = visited.size;
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
      transitions,
      depth,
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
            ...(orbitsKnown && unreducedStates > 0
              ? { unreducedStates, reductionFactor: distinctStates > 0 ? unreducedStates / distinctStates : 1 }
              : {}),
            canonicalisingSeconds: reduction.canonicalisingMilliseconds / 1000,
          },
        }
      : {}),
  };
  return { result, visited, traces };
}

function describeModelError<State, Action>(
  model: Model<State, Action>,
  thrown: unknown,
  state: State | undefined,
  action: Action | undefined,
  depth: number,
  record: number,
  traces: TraceStore,
): ModelError {
  const reason = thrown instanceof Error ? thrown.message : String(thrown);
  const actionText = state !== undefined && action !== undefined ? describeAction(model, state, action) : undefined;
  return modelThrew(reason, actionText, { record, depth, decoding: state === undefined }, (at) => traces.pathTo(at));
}

/**
 * The public library API, imported as 'synod': what a spec imports (the model contract, the
 * actors layer, its codecs) and what a program that checks a model calls. Re-exports only.
 */
export {
  defineSpec,
  SuccessorFingerprints,
  WordReader,
  WordWriter,
  type AnyModel,
  type AnySpec,
  type ChoiceParameter,
  type FingerprintHalves,
  type History,
  type IntegerParameter,
  type Model,
  type Parameter,
  type ParameterDeclarations,
  type ParameterValues,
  type Property,
  type Spec,
  type StepDescription,
  type Symmetry,
} from './model.ts';
export {
  ActorSystem,
  IGNORED_DELIVERY,
  NETWORK_SEMANTICS,
  countBits,
  type ActorContext,
  type ActorProtocol,
  type Envelope,
  type Faults,
  type IgnoredDelivery,
  type NetworkSemantics,
  type RestartSemantics,
  type Role,
  type SystemState,
  type Timer,
} from './actors/system.ts';
export { boolean, integer, integerSet, list, natural, record, union, withMember, type Codec } from './actors/codec.ts';
export { ParameterError, RefuseFailed, RefusedCombination, resolveParameters, resolveSpecParameters } from './parameters.ts';
export { checkModel, type CheckOptions, type CheckReport, type Witness } from './check.ts';
// What checkModel throws for options the model cannot honour, and a replayed counterexample that no longer fits.
export { PropertyDeclarationError, PropertySelectionError } from './explore/select-properties.ts';
export { SymmetryError } from './explore/symmetry.ts';
export type { ModelSource } from './explore/parallel-worker.ts';
export type {
  CheckResult,
  CheckStatus,
  IncompleteReason,
  ModelError,
  Progress,
  PropertyOutcome,
  Statistics,
  SymmetryStatistics,
  Violation,
} from './explore/result.ts';
export type { Trace, TraceStep } from './trace/replay.ts';
export { formatTraceText } from './trace/text.ts';
// What the tests written by `synod check --emit-test` call.
export { CounterexampleMismatch, isTerminal, replayCounterexample } from './trace/emit-test.ts';

import { describe, it, expect } from 'vitest';
import { checkModel } from '../../src/check.ts';
import { resolveParameters } from '../../src/parameters.ts';
import spec, { buildPaxosTla, type PaxosTlaParameters } from '../../specs/paxos-tla.ts';
import anyValueSpec from '../../specs/bugs/paxos-tla-any-value.ts';
import { WordWriter } from '../../src/model.ts';

/** Distinct states per breadth-first level (level 1 = the initial state), straight from the model. */
function statesPerLevel(parameters: PaxosTlaParameters): number[] {
  const model = buildPaxosTla(parameters);
  const key = (state: Int32Array) => state.join(',');
  let frontier = [...model.initialStates()];
  const seen = new Set(frontier.map(key));
  const levels = [frontier.length];
  const actions: number[] = [];
  while (frontier.length > 0) {
    const next: Int32Array[] = [];
    for (const state of frontier) {
      actions.length = 0;
      model.actions(state, actions);
      for (const action of actions) {
        const successor = model.nextState(state, action);
        if (successor === undefined) throw new Error(`offered but disabled: ${model.formatAction!(state, action)}`);
        const successorKey = key(successor);
        if (!seen.has(successorKey)) {
          seen.add(successorKey);
          next.push(successor);
        }
      }
    }
    if (next.length > 0) levels.push(next.length);
    frontier = next;
  }
  return levels;
}

/** Values chosen in a described state, read from its msgs: a majority sent 2b for one (bal, val). */
function chosenFromMessages(description: Record<string, unknown>, acceptors: number): Set<string> {
  const voters = new Map<string, Set<string>>();
  for (const message of description.msgs as string[]) {
    const match = /^2b\(acc=(a\d+), bal=(\d+), val=(v\d+)\)$/.exec(message);
    if (!match) continue;
    const proposal = `${match[2]}/${match[3]}`;
    if (!voters.has(proposal)) voters.set(proposal, new Set());
    voters.get(proposal)!.add(match[1]!);
  }
  const chosen = new Set<string>();
  for (const [proposal, who] of voters) if (who.size > acceptors / 2) chosen.add(proposal.split('/')[1]!);
  return chosen;
}

describe('paxos-tla: the transcription of Paxos.tla', () => {
  it('has TLC\'s 3,921 states and depth 17 for 3 acceptors, 2 values, ballots 0..1 (the defaults)', async () => {
    const model = spec.build(resolveParameters(spec.parameters, {}));
    const { result } = await checkModel(model);
    expect(result.status).toBe('ok');
    expect(result.statistics.distinctStates).toBe(3921);
    expect(result.statistics.depth).toBe(17);
    expect(result.properties.find((property) => property.name === 'Consistency')?.holds).toBe(true);
    expect(result.properties.find((property) => property.name === 'ValueChosen')?.witnessed).toBe(true);
  });

  it('with --max-depth 17, the depth of its space, is the full run (ok); with 16 it is cut off (incomplete)', async () => {
    const figures = async (maxDepth: number) => {
      const { result } = await checkModel(spec.build(resolveParameters(spec.parameters, {})), { maxDepth });
      const { distinctStates, transitions, depth } = result.statistics;
      return { status: result.status, incompleteReason: result.incompleteReason, distinctStates, transitions, depth };
    };
    expect(await figures(17)).toEqual({ status: 'ok', incompleteReason: undefined, distinctStates: 3921, transitions: 9442, depth: 17 });
    // Levels 1 to 15 expanded, level 16 found and probed; the counts are those of a run that does not expand it.
    expect(await figures(16)).toEqual({ status: 'incomplete', incompleteReason: 'max-depth', distinctStates: 3919, transitions: 9436, depth: 16 });
  });

  it('matches TLC level by level for (3, 2, 1)', () => {
    expect(statesPerLevel({ acceptors: 3, values: 2, maxBallot: 1 }).join(' ')).toBe(
      '1 2 7 12 29 72 139 234 341 464 646 780 670 372 126 24 2',
    );
  });

  it.each([
    { acceptors: 3, values: 1, maxBallot: 1, states: 1681, depth: 17 },
    { acceptors: 3, values: 2, maxBallot: 0, states: 73, depth: 9 },
    { acceptors: 3, values: 3, maxBallot: 1, states: 6801, depth: 17 },
    { acceptors: 4, values: 2, maxBallot: 1, states: 20609, depth: 21 },
    // Three ballots: the first where the highest reported vote can differ from a lower one.
    { acceptors: 3, values: 2, maxBallot: 2, states: 185369, depth: 25 },
  ])('has $states states and depth $depth for ($acceptors, $values, $maxBallot)', async ({ states, depth, ...parameters }) => {
    const { result } = await checkModel(buildPaxosTla(parameters));
    expect(result.status).toBe('ok');
    expect(result.statistics.distinctStates).toBe(states);
    expect(result.statistics.depth).toBe(depth);
  });

  it.each([
    { acceptors: 3, values: 2, maxBallot: 1 },
    { acceptors: 4, values: 3, maxBallot: 0 },
  ])('offers exactly the actions nextState enables, and never a self-loop ($acceptors, $values, $maxBallot)', (parameters) => {
    const model = buildPaxosTla(parameters);
    const key = (state: Int32Array) => state.join(',');
    let frontier = [...model.initialStates()];
    const seen = new Set(frontier.map(key));
    const offered: number[] = [];
    let checked = 0;
    while (frontier.length > 0) {
      const next: Int32Array[] = [];
      for (const state of frontier) {
        offered.length = 0;
        model.actions(state, offered);
        const enabled: number[] = [];
        for (let action = 0; action < model.layout.actionCount; action++) {
          const successor = model.nextState(state, action);
          if (successor === undefined) continue;
          enabled.push(action);
          checked++;
          if (key(successor) === key(state)) throw new Error(`self-loop: ${model.formatAction!(state, action)}`);
          if (!seen.has(key(successor))) {
            seen.add(key(successor));
            next.push(successor);
          }
        }
        const offeredSorted = [...offered].sort((a, b) => a - b);
        if (enabled.join() !== offeredSorted.join()) {
          throw new Error(`offered [${offered.join()}] but enabled [${enabled.join()}] in ${JSON.stringify(model.describeState!(state))}`);
        }
      }
      frontier = next;
    }
    expect(checked).toBeGreaterThan(seen.size);
  });

  it('encodes each successor without building it exactly as it encodes the built one, and writes nothing for a disabled action', () => {
    const model = buildPaxosTla({ acceptors: 3, values: 2, maxBallot: 1 });
    const actionCount = model.layout.actionCount;
    const key = (state: Int32Array) => state.join(',');
    const seen = new Set<string>();
    let frontier = [...model.initialStates()];
    const writer = new WordWriter();
    const mismatches: string[] = [];
    let enabled = 0;
    let disabled = 0;
    while (frontier.length > 0) {
      const next: Int32Array[] = [];
      for (const state of frontier) {
        // Every action number, offered or not: disabled ones must write nothing.
        for (let action = 0; action < actionCount; action++) {
          writer.reset();
          writer.push(-7);
          const encoded = model.encodeSuccessor!(state, action, writer);
          const successor = model.nextState(state, action);
          if (encoded !== (successor !== undefined)) mismatches.push(`enabled differs: ${model.formatAction!(state, action)}`);
          if (successor === undefined) {
            disabled++;
            if (writer.length !== 1) mismatches.push(`wrote for a disabled action ${action}`);
            continue;
          }
          enabled++;
          if (writer.view().slice(1).join(',') !== key(successor)) mismatches.push(`encoding differs: ${model.formatAction!(state, action)}`);
          if (!seen.has(key(successor))) {
            seen.add(key(successor));
            next.push(successor);
          }
        }
      }
      frontier = next;
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(seen.size + 1).toBe(3921);
    // The enabled ones are the search's transitions: the actions offered are exactly the enabled ones.
    expect(enabled).toBe(9442);
    expect(disabled).toBeGreaterThan(enabled);
  });

  it('shows actions and states as Paxos.tla names them', async () => {
    const model = buildPaxosTla({ acceptors: 3, values: 2, maxBallot: 1 });
    const { result } = await checkModel(model);
    const witness = result.properties.find((property) => property.name === 'ValueChosen')?.witness;
    expect(witness).toBeDefined();
    const initial = model.initialStates()[0]!;
    expect(model.describeState!(initial)).toEqual({
      maxBal: { a1: -1, a2: -1, a3: -1 },
      maxVBal: { a1: -1, a2: -1, a3: -1 },
      maxVal: { a1: 'None', a2: 'None', a3: 'None' },
      msgs: [],
    });
    const actions: number[] = [];
    model.actions(initial, actions);
    expect(actions.map((action) => model.formatAction!(initial, action))).toEqual(['Phase1a(0)', 'Phase1a(1)']);
    const afterPhase1a = model.nextState(initial, actions[1]!)!;
    actions.length = 0;
    model.actions(afterPhase1a, actions);
    expect(actions.map((action) => model.formatAction!(afterPhase1a, action))).toEqual([
      'Phase1a(0)',
      'Phase1b(a1) on 1a(bal=1)',
      'Phase1b(a2) on 1a(bal=1)',
      'Phase1b(a3) on 1a(bal=1)',
    ]);
    const afterPhase1b = model.nextState(afterPhase1a, actions[2]!)!;
    expect(model.describeState!(afterPhase1b)).toMatchObject({
      maxBal: { a1: -1, a2: 1, a3: -1 },
      msgs: ['1a(bal=1)', '1b(acc=a2, bal=1, mbal=-1, mval=None)'],
    });
    // Phase1a(1) again would change nothing: it is not offered, and nextState refuses it.
    expect(model.nextState(afterPhase1b, actions[0]! + 1)).toBeUndefined();
  });
});

describe('paxos-tla-any-value: Phase2a ignores the votes reported in 1b messages', () => {
  it('breaks Consistency with a 12-step counterexample in which two values are chosen', async () => {
    const parameters = resolveParameters(anyValueSpec.parameters, {});
    const model = anyValueSpec.build(parameters);
    const { result, counterexample } = await checkModel(model);
    expect(result.status).toBe('violation');
    expect(result.violation?.property).toBe('Consistency');
    expect(counterexample).toBeDefined();
    // Two ballots, each: 1a, two 1b, 2a, two 2b.
    expect(counterexample!.steps.length - 1).toBe(12);
    const last = counterexample!.steps[counterexample!.steps.length - 1]!.state;
    expect([...chosenFromMessages(model.describeState!(last), parameters.acceptors)].sort()).toEqual(['v1', 'v2']);
    const consistency = model.properties.find((property) => property.name === 'Consistency')!;
    expect(consistency.holds(last)).toBe(false);
    expect(consistency.explain!(last)).toMatch(/^v\d chosen at ballot \d by \{a\d,a\d(,a\d)?\}; v\d chosen at ballot \d by/);
    // The bug is the only difference: the correct spec refuses the step that proposes the second value.
    const correct = buildPaxosTla(parameters);
    const steps = counterexample!.steps;
    const refused = steps.findIndex((step, index) => index > 0 && correct.nextState(steps[index - 1]!.state, step.action!) === undefined);
    expect(steps[refused]?.actionText).toMatch(/^Phase2a\(\d, v\d\)$/);
  });
});

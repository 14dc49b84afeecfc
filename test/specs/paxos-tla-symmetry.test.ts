import { describe, it, expect } from 'vitest';
import { checkModel } from '../../src/check.ts';
import { SymmetryError } from '../../src/explore/symmetry.ts';
import { resolveParameters } from '../../src/parameters.ts';
import { replayPath } from '../../src/trace/replay.ts';
import { buildPaxosTla, messageText, type PaxosTlaModel } from '../../specs/paxos-tla.ts';
import anyValueSpec from '../../specs/bugs/paxos-tla-any-value.ts';

const SETS: readonly (readonly string[])[] = [['acceptors'], ['values'], ['acceptors', 'values']];

describe('paxos-tla: symmetry over acceptors and values', () => {
  it('declares acceptors and values, and no property tells their members apart', () => {
    const model = buildPaxosTla({ acceptors: 3, values: 2, maxBallot: 1 });
    expect(model.symmetry?.sets).toEqual(['acceptors', 'values']);
    expect(model.properties.map((property) => property.name)).toEqual(['Consistency', 'ValueChosen']);
    for (const property of model.properties) expect(property.distinguishes).toBeUndefined();
  });

  const cases = [
    {
      parameters: { acceptors: 3, values: 2, maxBallot: 1 },
      unreduced: 3_921,
      depth: 17,
      reduced: { acceptors: 857, values: 2_001, 'acceptors+values': 443 },
    },
    {
      parameters: { acceptors: 3, values: 2, maxBallot: 2 },
      unreduced: 185_369,
      depth: 25,
      reduced: { acceptors: 34_113, values: 93_049, 'acceptors+values': 17_153 },
    },
  ];
  for (const { parameters, unreduced, depth, reduced } of cases) {
    const label = `(${parameters.acceptors}, ${parameters.values}, ${parameters.maxBallot})`;
    it(`${label}: ${unreduced} states reduce to ${Object.values(reduced).join(' / ')}, and the orbit sizes add up to ${unreduced}`, async () => {
      const plain = await checkModel(buildPaxosTla(parameters));
      expect(plain.result.status).toBe('ok');
      expect(plain.result.statistics.distinctStates).toBe(unreduced);
      expect(plain.result.statistics.depth).toBe(depth);
      for (const sets of SETS) {
        const symmetric = await checkModel(buildPaxosTla(parameters), { symmetry: sets });
        const expected = reduced[sets.join('+') as keyof typeof reduced];
        expect({ sets, status: symmetric.result.status }).toEqual({ sets, status: 'ok' });
        expect({ sets, distinct: symmetric.result.statistics.distinctStates }).toEqual({ sets, distinct: expected });
        expect({ sets, depth: symmetric.result.statistics.depth }).toEqual({ sets, depth });
        expect({ sets, unreduced: symmetric.result.symmetry?.unreducedStates }).toEqual({ sets, unreduced });
        expect(symmetric.result.symmetry?.sets).toEqual(sets);
        expect(symmetric.result.symmetry?.reductionFactor).toBeCloseTo(unreduced / expected, 6);
        expect(symmetric.result.properties).toEqual(
          plain.result.properties.map((property) =>
            expect.objectContaining({ name: property.name, holds: property.holds, witnessed: property.witnessed }),
          ),
        );
      }
    });
  }

  it('(3, 2, 1), against brute force: every renaming of a reachable state has the same representative, a renaming of it, and the orbit size is the number of distinct renamings', () => {
    const model = buildPaxosTla({ acceptors: 3, values: 2, maxBallot: 1 });
    const states = reachable(model);
    expect(states.length).toBe(3_921);
    const renamings = allRenamings(model.layout.acceptors, model.layout.values);
    const orbit = { size: 0 };
    const imageOrbit = { size: 0 };
    for (const sets of SETS) {
      const group = renamings.filter(
        ({ acceptors, values }) =>
          (sets.includes('acceptors') || isIdentity(acceptors)) && (sets.includes('values') || isIdentity(values)),
      );
      expect(group.length).toBe((sets.includes('acceptors') ? 6 : 1) * (sets.includes('values') ? 2 : 1));
      const representatives = new Set<string>();
      let orbitSum = 0;
      for (const state of states) {
        const representative = key(model.symmetry!.representative(state, sets, orbit));
        const images = group.map(({ acceptors, values }) => renameNaively(model, state, acceptors, values));
        const distinctImages = new Set(images.map(key));
        if (!distinctImages.has(representative) || orbit.size !== distinctImages.size) {
          throw new Error(`${sets}: representative or orbit size (${orbit.size} vs ${distinctImages.size}) wrong for ${key(state)}`);
        }
        for (const image of images) {
          if (key(model.symmetry!.representative(image, sets, imageOrbit)) !== representative || imageOrbit.size !== orbit.size) {
            throw new Error(`${sets}: two renamings of ${key(state)} have different representatives`);
          }
        }
        if (!representatives.has(representative)) {
          representatives.add(representative);
          orbitSum += orbit.size;
        }
      }
      expect(orbitSum).toBe(3_921);
    }
  });

  it.each([
    { acceptors: 3, values: 3, maxBallot: 1 },
    { acceptors: 4, values: 2, maxBallot: 2 },
  ])('($acceptors, $values, $maxBallot), on random (mostly unreachable) states: the representative depends on the orbit alone', (parameters) => {
    // Random states break the invariants that Paxos keeps (one value per ballot, one 1b per
    // acceptor and ballot), so the canonical form is checked as a function of any state.
    const model = buildPaxosTla(parameters);
    const { acceptors: N, values: V, ballots: B, msgsOffset, messageCount } = model.layout;
    const random = mulberry32(7);
    const renamings = allRenamings(N, V);
    const orbit = { size: 0 };
    const imageOrbit = { size: 0 };
    for (let sample = 0; sample < 150; sample++) {
      const state = new Int32Array(model.initialStates()[0]!.length);
      for (let a = 0; a < N; a++) {
        state[3 * a] = Math.floor(random() * (B + 1)) - 1;
        state[3 * a + 1] = Math.floor(random() * (B + 1)) - 1;
        state[3 * a + 2] = Math.floor(random() * (V + 1)) - 1;
      }
      const density = random() * 0.4;
      for (let index = 0; index < messageCount; index++) if (random() < density) state[msgsOffset + (index >>> 5)]! |= 1 << (index & 31);
      for (const sets of SETS) {
        const group = renamings.filter(
          ({ acceptors, values }) => (sets.includes('acceptors') || isIdentity(acceptors)) && (sets.includes('values') || isIdentity(values)),
        );
        const representative = key(model.symmetry!.representative(state, sets, orbit));
        const images = group.map(({ acceptors, values }) => renameNaively(model, state, acceptors, values));
        const distinctImages = new Set(images.map(key));
        expect(distinctImages.has(representative)).toBe(true);
        expect(orbit.size).toBe(distinctImages.size);
        for (const image of images) {
          expect(key(model.symmetry!.representative(image, sets, imageOrbit))).toBe(representative);
          expect(imageOrbit.size).toBe(orbit.size);
        }
      }
    }
  });
});

describe('paxos-tla-any-value under symmetry', () => {
  for (const sets of SETS) {
    it(`${sets.join(' + ')}: still breaks Consistency, in 12 steps, with a concrete trace of the unreduced model`, async () => {
      const parameters = resolveParameters(anyValueSpec.parameters, {});
      const plain = await checkModel(anyValueSpec.build(parameters));
      expect(plain.counterexample!.steps.length - 1).toBe(12);
      const report = await checkModel(anyValueSpec.build(parameters), { symmetry: sets });
      expect(report.result.status).toBe('violation');
      expect(report.result.violation?.property).toBe('Consistency');
      const trace = report.counterexample!;
      expect(trace.steps.length - 1).toBe(plain.counterexample!.steps.length - 1);
      // Concrete: the path replays on a fresh model without symmetry and ends in the violation.
      const unreduced = anyValueSpec.build(parameters);
      const replayed = replayPath(unreduced, trace.path);
      expect(replayed.steps.length - 1).toBe(12);
      const consistency = unreduced.properties.find((property) => property.name === 'Consistency')!;
      expect(consistency.holds(replayed.steps[replayed.steps.length - 1]!.state)).toBe(false);
      expect(replayed.steps.slice(0, -1).every((step) => consistency.holds(step.state))).toBe(true);
      expect(replayed.steps.map((step) => step.actionText)).toEqual(trace.steps.map((step) => step.actionText));
    });
  }
});

describe('paxos-tla: symmetry refused when a property tells members apart', () => {
  it('throws a SymmetryError naming the property for a set it distinguishes, and accepts the other set', async () => {
    const model = buildPaxosTla({ acceptors: 3, values: 2, maxBallot: 1 });
    const asymmetric = {
      ...model,
      properties: [
        ...model.properties,
        { name: 'A1NeverVotes', kind: 'always' as const, holds: () => true, distinguishes: ['acceptors'] },
      ],
    };
    await expect(checkModel(asymmetric, { symmetry: ['acceptors'] })).rejects.toThrow(SymmetryError);
    await expect(checkModel(asymmetric, { symmetry: ['acceptors', 'values'] })).rejects.toThrow(/property A1NeverVotes tells their members apart/);
    const { result } = await checkModel(asymmetric, { symmetry: ['values'] });
    expect(result.status).toBe('ok');
    expect(result.statistics.distinctStates).toBe(2_001);
  });
});

// Independent of the model's renaming tables: renames by reading each message's text.

const key = (state: Int32Array): string => state.join(',');

function isIdentity(map: readonly number[]): boolean {
  return map.every((image, index) => image === index);
}

/** A small deterministic PRNG (mulberry32), so the random states are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((tail) => [...Array(n).keys()].map((at) => [...tail.slice(0, at), n - 1, ...tail.slice(at)]));
}

function allRenamings(acceptors: number, values: number): { acceptors: number[]; values: number[] }[] {
  return permutations(acceptors).flatMap((acceptorMap) => permutations(values).map((valueMap) => ({ acceptors: acceptorMap, values: valueMap })));
}

function reachable(model: PaxosTlaModel): Int32Array[] {
  let frontier = [...model.initialStates()];
  const states = [...frontier];
  const seen = new Set(frontier.map(key));
  const actions: number[] = [];
  while (frontier.length > 0) {
    const next: Int32Array[] = [];
    for (const state of frontier) {
      actions.length = 0;
      model.actions(state, actions);
      for (const action of actions) {
        const successor = model.nextState(state, action)!;
        if (seen.has(key(successor))) continue;
        seen.add(key(successor));
        next.push(successor);
        states.push(successor);
      }
    }
    frontier = next;
  }
  return states;
}

function renameNaively(model: PaxosTlaModel, state: Int32Array, acceptorMap: readonly number[], valueMap: readonly number[]): Int32Array {
  const layout = model.layout;
  const renameValue = (value: number) => (value === -1 ? -1 : valueMap[value]!);
  const out = new Int32Array(state.length);
  for (let a = 0; a < layout.acceptors; a++) {
    const to = 3 * acceptorMap[a]!;
    out[to] = state[3 * a]!;
    out[to + 1] = state[3 * a + 1]!;
    out[to + 2] = renameValue(state[3 * a + 2]!);
  }
  const parseValue = (text: string) => (text === 'None' ? -1 : Number(text.slice(1)) - 1);
  for (let index = 0; index < layout.messageCount; index++) {
    if (((state[layout.msgsOffset + (index >>> 5)]! >>> (index & 31)) & 1) === 0) continue;
    const text = messageText(layout, index);
    let match: RegExpExecArray | null;
    let renamed: number;
    if ((match = /^1a\(bal=(\d+)\)$/.exec(text))) renamed = layout.message1a(Number(match[1]));
    else if ((match = /^1b\(acc=a(\d+), bal=(\d+), mbal=(-?\d+), mval=(\w+)\)$/.exec(text))) {
      renamed = layout.message1b(acceptorMap[Number(match[1]) - 1]!, Number(match[2]), Number(match[3]), renameValue(parseValue(match[4]!)));
    } else if ((match = /^2a\(bal=(\d+), val=(\w+)\)$/.exec(text))) {
      renamed = layout.message2a(Number(match[1]), renameValue(parseValue(match[2]!)));
    } else if ((match = /^2b\(acc=a(\d+), bal=(\d+), val=(\w+)\)$/.exec(text))) {
      renamed = layout.message2b(acceptorMap[Number(match[1]) - 1]!, Number(match[2]), renameValue(parseValue(match[3]!)));
    } else throw new Error(`unreadable message ${text}`);
    out[layout.msgsOffset + (renamed >>> 5)]! |= 1 << (renamed & 31);
  }
  return out;
}

/**
 * Counterexamples as Mermaid sequence diagrams (https://mermaid.js.org/syntax/sequenceDiagram.html).
 *
 * - Participants are the model's `participants` (the actors), in their order.
 * - Each step comes from the model's optional `describeStep`: a delivered message is an arrow
 *   `p1->>a1: 2. Prepare(b=1)` drawn at the step where `a1` receives it (so arrows are in
 *   delivery order, numbered by step as in the text trace); a dropped message is a crossed arrow
 *   `p1-xa1: 5. Prepare(b=1) (dropped)`; a local step (a timer such as starting a round, a
 *   crash) is a note over its actor.
 * - What changed comes from the text trace's per-step changes (`describeChanges`): one note per
 *   participant whose variables changed, listing the changed fields. Variables that are not
 *   participants (the actors layer's `network`, which the arrows already show) get no note, unless
 *   the model has no `describeStep`: then they join the step's note.
 * - The last note spans every participant and names the violated property and why it fails (or
 *   the sometimes property the trace witnesses, and how).
 *
 * A model without `describeStep` gets one note per step with the action's text, as does a step
 * whose `describeStep` threw or returned no step description (the note then ends with what went
 * wrong); a model without `participants` gets a single participant named after the model.
 */
import type { Model, Property, StepDescription } from '../model.ts';
import type { Trace } from './replay.ts';
import { describeChanges, flattenDescription, outcomeVerb } from './text.ts';
import { describeForReport, describedStep, explanationOf } from './description.ts';

export interface MermaidOptions<State> {
  /** The property that fails at the last step, named in the final note with its explanation. */
  readonly property?: Property<State>;
}

/**
 * Text after `:` in a message or a note: Mermaid ends it at `;` and `#` and reads `<` as HTML,
 * so those become entity codes (`#59;`, `#35;`, `#lt;`) that Mermaid renders as the characters.
 */
export function mermaidText(text: string): string {
  const entities: Record<string, string> = { '#': '#35;', ';': '#59;', '<': '#lt;' };
  return text.replace(/[#;<]/g, (character) => entities[character]!).replace(/\r?\n/g, '<br/>');
}

/** A participant name as a Mermaid identifier; names that are not plain words get an alias. */
function participantId(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `P_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** Splits a flattened change line (`a1.promised: 0 -> 1`) into its variable and the rest. */
function splitChange(line: string): { variable: string; rest: string } {
  const match = /^([^.:\s]+)(?:\.(.*)|:?\s*(.*))$/.exec(line)!;
  return { variable: match[1]!, rest: match[2] ?? match[3]! };
}

export function formatMermaid<State, Action>(
  model: Model<State, Action>,
  trace: Trace<State, Action>,
  options: MermaidOptions<State> = {},
): string {
  const participants = model.participants && model.participants.length > 0 ? model.participants : [model.name];
  const ids = new Map(participants.map((name) => [name, participantId(name)]));
  const id = (name: string | undefined) => (name !== undefined ? ids.get(name) : undefined);
  const first = id(participants[0])!;
  const last = id(participants[participants.length - 1])!;
  const everyone = first === last ? first : `${first},${last}`;
  const describe = (state: State) => flattenDescription(describeForReport(model, state));

  const lines = ['sequenceDiagram'];
  for (const name of participants) {
    const participant = id(name)!;
    lines.push(participant === name ? `  participant ${name}` : `  participant ${participant} as ${mermaidText(name)}`);
  }
  let previous = describe(trace.steps[0]!.state);
  trace.steps.forEach((step, index) => {
    if (index === 0) return;
    const before = trace.steps[index - 1]!.state;
    const current = describe(step.state);
    const changes = describeChanges(previous, current);
    previous = current;

    const described = step.action !== undefined ? describedStep(model, before, step.action) : undefined;
    const description: StepDescription | undefined = described && 'step' in described ? described.step : undefined;
    const from = id(description?.from);
    const to = id(description?.to);
    // Changes grouped by participant, in the order the participants changed.
    const byParticipant = new Map<string, string[]>();
    const other: string[] = [];
    for (const change of changes) {
      const { variable, rest } = splitChange(change);
      const participant = id(variable);
      if (participant !== undefined) {
        const list = byParticipant.get(participant) ?? [];
        list.push(rest);
        byParticipant.set(participant, list);
      } else if (!model.participants || model.participants.length === 0 || !description || !model.diagramOmits?.includes(variable)) {
        // Without a step description (no describeStep, or one that failed) there are no arrows: a
        // change to a shared variable is the only sign of what the step did (Paxos.tla's msgs).
        // With one, a shared variable the arrows do not show (a turn) is still part of the step.
        other.push(change);
      }
    }

    if (description && from !== undefined && description.kind === 'message' && to !== undefined) {
      lines.push(`  ${from}->>${to}: ${index}. ${mermaidText(description.label)}`);
    } else if (description && from !== undefined && description.kind === 'drop' && to !== undefined) {
      lines.push(`  ${from}-x${to}: ${index}. ${mermaidText(description.label)} (dropped)`);
    } else if (description && from !== undefined) {
      // A local step: the note over its actor starts with what it did.
      const own = byParticipant.get(from) ?? [];
      byParticipant.set(from, [`${index}. ${description.label}`, ...own]);
    } else {
      const failed = described && 'failed' in described ? ` ${described.failed}` : '';
      other.unshift(`${index}. ${step.actionText ?? String(step.action)}${failed}`);
    }
    const participantNotes = [...byParticipant].map(([participant, notes]) => `  Note over ${participant}: ${notes.map(mermaidText).join('<br/>')}`);
    const otherNote = other.length > 0 ? [`  Note over ${everyone}: ${other.map(mermaidText).join('<br/>')}`] : [];
    // Without a step description the note over everyone names the step: it comes first.
    lines.push(...(description ? [...participantNotes, ...otherNote] : [...otherNote, ...participantNotes]));
  });

  const property = options.property;
  if (property) {
    const final = trace.steps[trace.steps.length - 1]!.state;
    const explanation = explanationOf(property, final);
    const why = explanation === undefined ? '' : `: ${explanation}`;
    lines.push(`  Note over ${everyone}: ${mermaidText(`${property.name} ${outcomeVerb(property)} at step ${trace.steps.length - 1}${why}`)}`);
  }
  return lines.join('\n');
}

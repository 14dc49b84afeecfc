/**
 * Ctrl-C (SIGINT) and SIGTERM for the `synod` command, from as soon as Node runs its code (Node's
 * own start-up, about a tenth of a second, keeps the default action). The first stops the
 * run, which prints the statistics so far (exit 3); one during start-up stops the run before its
 * first state. A second one exits at once (130, or 143 for SIGTERM; the command's own status once
 * it has one), unless the command takes it (sweep and matrix: {@link secondInterrupt}; a third
 * then exits), or it comes within half a second of the first: `timeout -s INT` and a terminal
 * deliver one interrupt to the process and to its process group, that is twice, and it must not
 * lose the statistics.
 *
 * Plain JavaScript, imported by the launcher before TypeScript support and the CLI load (which
 * take half a second), so that no signal in that time gets the default action (death with no
 * output).
 *
 * A handler of `process.on` runs on the event loop, which a spec's code that never returns (a loop
 * in a handler or a property) keeps from running: such a run could be stopped only by SIGKILL. So
 * Ctrl-C goes through a thread of its own as well ({@link RELAY}), which relays it to the main
 * thread and, when the main thread has not taken it within RELAY_GRACE_MS (or at another Ctrl-C
 * more than SAME_INTERRUPT_MS after it), says why on stderr and ends the process (SIGKILL: no
 * thread can make another one return, and the main thread's own handlers cannot run). Node lets only code run by `node:vm`
 * with `breakOnSigint` see a signal while another thread is busy; the thread waits in such code.
 * The same thread ends a run that has not returned some seconds past its --max-seconds
 * ({@link endStuckRunAfter}): its limit is checked between steps too. SIGTERM cannot be relayed
 * (breakOnSigint sees SIGINT alone).
 */
import { Worker } from 'node:worker_threads';

export const interruption = new AbortController();
/** Aborted at a second Ctrl-C, for a command that takes it (see secondInterrupt); for others it ends the process. */
const interruptedAgain = new AbortController();
let secondInterruptTaken = false;

/**
 * Says that the command takes a second Ctrl-C itself (a sweep stops the points still running at
 * once and writes what it has), rather than be ended by it, with no word and none of its
 * results; returns the signal aborted at it. A third ends the process as before.
 */
export function secondInterrupt() {
  secondInterruptTaken = true;
  return interruptedAgain.signal;
}
/** The process's own exit: the CLI later makes process.exit throw for specs (src/process-guards.ts). */
const exitProcess = process.exit.bind(process);

/** The main thread has this long to take a relayed Ctrl-C before the relay ends the process. */
const RELAY_GRACE_MS = 5000;
/**
 * Past --max-seconds, a run is given RELAY_GRACE_MS and this share of its limit more: a long run's
 * own steps between two checks of its limit (a growth of a visited set of a hundred million
 * states, on a busy machine) can take seconds, and ending it for them would lose hours of work.
 */
const DEADLINE_GRACE_SHARE = 0.05;
/**
 * The shared words: [Ctrl-Cs relayed, Ctrl-Cs the main thread has taken, changes of the deadline],
 * then three doubles: the time at which a stuck run is ended (Infinity: none), its --max-seconds,
 * and the grace past them in seconds. Times are performance.timeOrigin + performance.now(), which
 * threads share and which a change of the system's clock does not move.
 */
const RELAYED = 0;
const TAKEN = 1;
const DEADLINE_CHANGES = 2;
const RELAY = `
const vm = require('node:vm');
const { writeSync } = require('node:fs');
const { workerData, parentPort } = require('node:worker_threads');
const { words, deadline, graceMs, sameInterruptMs } = workerData;
const now = () => performance.timeOrigin + performance.now();
// A stderr that cannot be written (its reader gone, a full disk) must not keep the process alive.
const say = (text) => {
  try {
    writeSync(2, text);
  } catch {}
};
const context = vm.createContext({ Atomics, words, changes: 0, taken: 0, left: 0 });
const untilInterrupted = new vm.Script('Atomics.wait(words, ${DEADLINE_CHANGES}, changes, left)');
const untilTaken = new vm.Script('Atomics.wait(words, ${TAKEN}, taken, left)');
const interrupted = (script) => {
  try {
    script.runInContext(context, { breakOnSigint: true });
    return false;
  } catch {
    return true;
  }
};
// A Ctrl-C that landed between two waits, in the outer script below (this thread descheduled
// after the one before, on a busy machine): relayed all the same, or it would be lost.
let pending = false;
const relayLoop = () => {
  for (;;) {
    context.changes = Atomics.load(words, ${DEADLINE_CHANGES});
    context.left = deadline[0] - now();
    if (context.left <= 0) {
      say("synod: the run reached --max-seconds " + deadline[1] + ", but the spec's code has not returned for " + Math.round(deadline[2]) + " s since (a loop at its top level, in an action, a handler, a property, its build or its refuse?): stopped, with no statistics\\n");
      process.kill(process.pid, 'SIGKILL');
    }
    const arrived = pending || interrupted(untilInterrupted);
    pending = false;
    if (!arrived) continue;
    const first = now();
    const relayed = Atomics.add(words, ${RELAYED}, 1) + 1;
    parentPort.postMessage(relayed);
    let again = false;
    for (;;) {
      context.taken = Atomics.load(words, ${TAKEN});
      context.left = first + graceMs - now();
      if (context.taken >= relayed || context.left <= 0) break;
      // A copy of the same interrupt (a terminal and timeout -s INT deliver it twice) is not another.
      if (interrupted(untilTaken) && now() - first > sameInterruptMs) {
        again = true;
        break;
      }
    }
    if (Atomics.load(words, ${TAKEN}) >= relayed) continue;
    say(again
      ? "synod: interrupted again while the spec's code was still running: stopped, with no statistics\\n"
      : "synod: interrupted, but the spec's code has not returned for " + graceMs / 1000 + " s (a loop at its top level, in an action, a handler, a property, its build or its refuse?): stopped, with no statistics\\n");
    process.kill(process.pid, 'SIGKILL');
  }
};
// The loop itself runs inside a script that breaks on SIGINT. Node handles SIGINT itself only
// while such a script runs, and when the last one ends it makes SIGINT's default action (death,
// with no status) the handler until the next starts: between two of the loop's own scripts, a
// second Ctrl-C soon after the first could land there and kill the run before it printed its
// statistics (two Ctrl-Cs 20 ms apart, on a machine kept busy by 3-9 looping processes: 9 runs
// in 50; 5 ms apart, 7 in 40). The outer script keeps one running all the time (an interrupt
// breaks the inner script too, whose end takes it back): 0 in 90. Node's own end of a process
// still leaves a moment: a Ctrl-C while it closes its handles, after the result is printed,
// ends it by SIGINT (3 of those 50 runs, 1 of the earlier ones).
context.relayLoop = relayLoop;
const keep = new vm.Script('relayLoop()');
for (;;) {
  try {
    keep.runInContext(context, { breakOnSigint: true });
  } catch {
    pending = true;
  }
}
`;

const SAME_INTERRUPT_MS = 500;
let firstAt;

function stop(exitStatus) {
  const now = performance.now();
  if (firstAt === undefined) {
    firstAt = now;
    interruption.abort();
  } else if (now - firstAt > SAME_INTERRUPT_MS) {
    if (secondInterruptTaken && !interruptedAgain.signal.aborted && process.exitCode === undefined) {
      interruptedAgain.abort();
      return;
    }
    // Once the command has its status (its result printed), a late copy of the first interrupt
    // (handled late when the event loop was busy) must not turn it into 130.
    exitProcess(process.exitCode ?? exitStatus);
  }
}

process.on('SIGINT', () => stop(130));
process.on('SIGTERM', () => stop(143));

const shared = new SharedArrayBuffer(4 * 4 + 3 * 8);
const words = new Int32Array(shared, 0, 3);
const deadline = new Float64Array(shared, 16, 3);
deadline[0] = Number.POSITIVE_INFINITY;

/** How long past its --max-seconds a run that has not returned is given before it is ended. */
export function graceAfterLimitMs(maxSeconds) {
  return RELAY_GRACE_MS + maxSeconds * 1000 * DEADLINE_GRACE_SHARE;
}

/**
 * Has the relay end the process, saying why, if the run has not returned some seconds after
 * `maxSeconds` from now (see DEADLINE_GRACE_SHARE): the run itself stops at its --max-seconds
 * between steps, and is held past it only by spec code that never returns. Returns what disarms
 * it, to call once the run has returned.
 */
export function endStuckRunAfter(maxSeconds) {
  const graceMs = graceAfterLimitMs(maxSeconds);
  deadline[0] = performance.timeOrigin + performance.now() + maxSeconds * 1000 + graceMs;
  deadline[1] = maxSeconds;
  deadline[2] = graceMs / 1000;
  Atomics.add(words, DEADLINE_CHANGES, 1);
  Atomics.notify(words, DEADLINE_CHANGES);
  return () => {
    deadline[0] = Number.POSITIVE_INFINITY;
    Atomics.add(words, DEADLINE_CHANGES, 1);
    Atomics.notify(words, DEADLINE_CHANGES);
  };
}

try {
  const relay = new Worker(RELAY, { eval: true, execArgv: [], workerData: { words, deadline, graceMs: RELAY_GRACE_MS, sameInterruptMs: SAME_INTERRUPT_MS } });
  relay.on('message', (relayed) => {
    Atomics.store(words, TAKEN, relayed);
    Atomics.notify(words, TAKEN);
    stop(130);
  });
  // Without the relay, Ctrl-C still reaches the handlers above while the event loop runs.
  relay.on('error', () => {});
  // After the listeners: adding a 'message' listener refs the thread again, and the process would
  // never exit.
  relay.unref();
} catch {
  // No threads here: the handlers above are all there is.
}

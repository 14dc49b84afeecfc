/**
 * Ctrl-C (SIGINT) and SIGTERM for the `synod` command, from as soon as Node runs its code (Node's
 * own start-up, about a tenth of a second, keeps the default action). The first stops the
 * run, which prints the statistics so far (exit 3); one during start-up stops the run before its
 * first state. A second one exits at once (130, or 143 for SIGTERM; the command's own status once
 * it has one), unless it comes within half a second of the first: `timeout -s INT` and a terminal
 * deliver one interrupt to the process and to its process group, that is twice, and it must not
 * lose the statistics.
 *
 * Plain JavaScript, imported by the launcher before TypeScript support and the CLI load (which
 * take half a second), so that no signal in that time gets the default action (death with no
 * output).
 */
export const interruption = new AbortController();

const SAME_INTERRUPT_MS = 500;
let firstAt;

function stop(exitStatus) {
  const now = performance.now();
  if (firstAt === undefined) {
    firstAt = now;
    interruption.abort();
  } else if (now - firstAt > SAME_INTERRUPT_MS) {
    // Once the command has its status (its result printed), a late copy of the first interrupt
    // (handled late when the event loop was busy) must not turn it into 130.
    process.exit(process.exitCode ?? exitStatus);
  }
}

process.on('SIGINT', () => stop(130));
process.on('SIGTERM', () => stop(143));

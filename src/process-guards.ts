/**
 * What a spec's code may not do to the process that checks it, in synod's own command and threads
 * (not in a program that calls checkModel itself: its process is its own).
 *
 * - `process.exit` from a spec ended synod with the spec's status and no output: `exit(0)` in an
 *   action read as "every property holds". It now throws, so the call is reported where it
 *   happened, as any other throw of the spec's code is (status `error`, exit 2).
 * - `console.log` (or a write to process.stdout) from a spec went to stdout, between synod's own
 *   lines, and made `--json` output invalid: both now go to stderr, and stdout carries synod's
 *   result only ({@link writeStdout}).
 */

export class SpecCalledExit extends Error {
  override readonly name = 'SpecCalledExit';
  constructor(code: unknown) {
    super(`the spec called process.exit(${code === undefined ? '' : String(code)}), which synod does not let it do`);
  }
}

/** The process's own exit, for synod's code once {@link guardProcessFromSpecs} has run. */
export const exitProcess: (code?: number) => never = process.exit.bind(process);

/** Writes to the process's stdout, for synod's own result once {@link guardProcessFromSpecs} has run. */
export const writeStdout: (text: string) => boolean = process.stdout.write.bind(process.stdout);

let guarded = false;

/** Makes process.exit throw and the console and process.stdout write to stderr, for the rest of this thread's life. */
export function guardProcessFromSpecs(): void {
  if (guarded) return;
  guarded = true;
  process.exit = ((code?: unknown) => {
    throw new SpecCalledExit(code);
  }) as typeof process.exit;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const toStderr = new console.Console({ stdout: process.stderr, stderr: process.stderr });
  console.log = toStderr.log.bind(toStderr);
  console.info = toStderr.info.bind(toStderr);
  console.debug = toStderr.debug.bind(toStderr);
  console.dir = toStderr.dir.bind(toStderr);
  console.table = toStderr.table.bind(toStderr);
}

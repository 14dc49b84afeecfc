/**
 * Coded, user-facing errors. Each has a stable code, a message that names the problem, and a hint
 * at the next step; the CLI prints it as one line on stderr and exits with status 2.
 */

export type UsageErrorCode =
  | 'usage'
  | 'unknown-flag'
  | 'bad-flag-value'
  | 'bad-parameter'
  | 'spec-not-found'
  | 'spec-load-failed'
  | 'not-a-spec'
  | 'spec-build-failed'
  | 'bad-property'
  | 'model-threw'
  | 'model-contract'
  | 'bad-trace'
  | 'cannot-write'
  | 'points-failed';

export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly code: UsageErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The single line printed for an error. */
export function formatUsageError(error: UsageError): string {
  const line = `synod: error [${error.code}]: ${error.message}${error.hint ? ` (hint: ${error.hint})` : ''}`;
  // An error is one line, whatever the user typed into it (an argument with a line break in it).
  return line.replace(/\r?\n|\r/g, (lineBreak) => JSON.stringify(lineBreak).slice(1, -1));
}

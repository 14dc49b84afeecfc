/** Types of interrupt.mjs, which stays JavaScript so that the launcher loads it before TypeScript support. */
export declare const interruption: AbortController;
/** Says the command takes a second Ctrl-C itself; returns the signal aborted at it. */
export declare function secondInterrupt(): AbortSignal;
/** How long past its --max-seconds a run that has not returned is given before it is ended. */
export declare function graceAfterLimitMs(maxSeconds: number): number;
/** Ends the process if the run has not returned some seconds past `maxSeconds` from now; returns what disarms it. */
export declare function endStuckRunAfter(maxSeconds: number): () => void;

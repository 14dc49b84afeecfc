/** Types of interrupt.mjs, which stays JavaScript so that the launcher loads it before TypeScript support. */
export declare const interruption: AbortController;
/** Ends the process if the run has not returned 5 s past `maxSeconds` from now; returns what disarms it. */
export declare function endStuckRunAfter(maxSeconds: number): () => void;

/** Types of interrupt.mjs, which stays JavaScript so that the launcher loads it before TypeScript support. */
export declare const interruption: AbortController;

/** Limits: generation must stay fast on contracts with thousands of schemas. */
export const ATTEMPTS = 4;
export const REPAIR_PASSES = 3;
/** nesting depth (objects/arrays) up to which optional properties are filled */
export const OPTIONAL_DEPTH = 3;
/** beyond this depth only what is required is generated */
export const MINIMAL_DEPTH = 8;
/** beyond this depth generation stops (unsatisfiable recursion) */
export const MAX_DEPTH = 40;
/** a named schema seen this many times on the path is recursion: go minimal */
export const MAX_REF_REPEAT = 2;
/** nodes per value before switching to minimal generation */
export const NODE_BUDGET = 2500;
export const DEFAULT_EXTRA_ITEMS = 2;
export const RANDEXP_MAX = 8;

/** JSON data as resources hold it: core's record test and its copy that stays fast to serialise. */
import { cloneJson, isRecord, type JsonObject } from '../core/json';

export type Json = JsonObject;
export { isRecord, cloneJson as clone };

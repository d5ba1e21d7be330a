/**
 * The `platform:cost` config section in the shape components/config.ts composes (a module that
 * exports `schema`): register it there as `cost` in SECTIONS to validate the key with the rest of
 * the stack configuration. The cost model itself reads the same key from `StackRun.config`.
 */
import { costAssumptionsSchema } from "./assumptions";

export const schema = costAssumptionsSchema;

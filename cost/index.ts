/** Offline cost model: price table, usage assumptions, formulas, report formatting. */
export { estimateCost, FORMULAS, PRICED_TYPES, DEFAULT_REGION, NOT_MODELLED } from "./model";
export type { CostReport, CostLine, CostItem, CostGroup, NotPricedResource, BudgetComparison, BudgetInfo, EstimateOptions } from "./model";
export { formatCostReport, formatCostMarkdown, formatCostSummaryMarkdown, toCostJson } from "./format";
export type { CostJson } from "./format";
export { costAssumptionsSchema, parseCostAssumptions, assumptionsFromConfig, COST_CONFIG_KEY } from "./assumptions";
export type { CostAssumptions, CostAssumptionsInput } from "./assumptions";
export { PRICE_TABLE, PRICE_TABLE_VERSION, PRICE_TABLE_AS_OF, regionPrices } from "./prices";
export type { Price, PriceTable, RegionPrices } from "./prices";
export { FREE_TYPES, freeReason } from "./free";
export { scheduledTaskHours, cronWeeklyInstants, runsPerMonth } from "./schedule";
export { diffCostJson, formatCostDiff } from "./diff";
export type { CostDiff, CostChange } from "./diff";

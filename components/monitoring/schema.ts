/**
 * Stack configuration of the monitoring tier (`platform:monitoring`), validated by
 * components/config.ts. Defaults are the production values (seed 001 prod); dev and staging
 * lighten them in their stack files.
 */
import { z } from "zod";
import { logRetentionDays, regionName, Report } from "../validation";
import type { StackConfig } from "../config";
import { METRIC_IDS, TREAT_MISSING } from "./thresholds";

const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, "expected an email address such as ops@example.com");

const thresholdOverride = z
    .object({
        /** New warning level (same unit as the table); `null` removes the warning alarm. */
        warning: z.number().nullable().optional(),
        /** New critical level; `null` removes the critical alarm. */
        critical: z.number().nullable().optional(),
        /** Seconds per datapoint: 10, 30 or a multiple of 60. */
        period: z
            .number()
            .int()
            .refine((p) => p === 10 || p === 30 || (p >= 60 && p % 60 === 0), "expected 10, 30 or a multiple of 60 seconds")
            .optional(),
        evaluationPeriods: z.number().int().min(1).max(100).optional(),
        treatMissingData: z.enum(TREAT_MISSING).optional(),
    })
    .strict();

/** Retention in days per LogGroupRef kind (seed 001 "環境別ログ保持": prod values as defaults). */
const retention = z
    .object({
        application: logRetentionDays.default(90),
        access: logRetentionDays.default(90),
        audit: logRetentionDays.default(90),
        flow: logRetentionDays.default(30),
        database: logRetentionDays.default(90),
        cache: logRetentionDays.default(90),
        workflow: logRetentionDays.default(90),
        waf: logRetentionDays.default(90),
    })
    .strict();

export const schema = z
    .object({
        notifications: z
            .object({
                /** Email recipients of the alarm topic (AC-OPS-2). Each must confirm the subscription email. */
                emails: z.array(email).default([]),
                /** Slack through AWS Chatbot; the workspace must be authorised once in the Chatbot console. */
                slack: z
                    .object({
                        /** Slack workspace (team) id, e.g. T07EA123LEP. */
                        workspaceId: z.string().regex(/^[A-Z0-9]{9,12}$/, "expected a Slack workspace id such as T07EA123LEP"),
                        /** Slack channel id, e.g. C07EZ1ABC23. */
                        channelId: z.string().regex(/^[A-Z0-9]{9,12}$/, "expected a Slack channel id such as C07EZ1ABC23"),
                        /** Region whose Chatbot API manages the configuration (a global service served from a few regions). @default us-west-2 */
                        apiRegion: regionName.default("us-west-2"),
                    })
                    .strict()
                    .optional(),
                /** Warning alarms notify the topic too (criticals always do, on ALARM and OK). @default true */
                warnings: z.boolean().default(true),
            })
            .strict()
            .default({ emails: [], warnings: true }),
        /** Overrides of the threshold table (components/monitoring/thresholds.ts), by metric id. */
        thresholds: z.partialRecord(z.enum(METRIC_IDS), thresholdOverride).default({}),
        logRetentionDays: retention.default(retention.parse({})),
        /** Metric filters counting `{ $.level = "ERROR" }` lines of the application log groups (seed 002 §3.4). */
        errorLogs: z
            .object({
                enabled: z.boolean().default(true),
                pattern: z.string().min(1).default('{ $.level = "ERROR" }'),
            })
            .strict()
            .default({ enabled: true, pattern: '{ $.level = "ERROR" }' }),
        dashboards: z.object({ enabled: z.boolean().default(true) }).strict().default({ enabled: true }),
        tracing: z
            .object({
                /** Fraction of requests traced beyond the reservoir (seed 002 §3.3). @default 0.05 */
                samplingRate: z.number().min(0).max(1).default(0.05),
                /** Requests per second always traced. @default 1 */
                reservoirPerSecond: z.number().int().min(0).default(1),
            })
            .strict()
            .default({ samplingRate: 0.05, reservoirPerSecond: 1 }),
        audit: z
            .object({
                /** The stack's CloudTrail trail (AC-SEC-7, seed 002 §4.2). @default true */
                enabled: z.boolean().default(true),
                /** Data events of the data buckets and tables. @default true */
                dataEvents: z.boolean().default(true),
                /** Also deliver to a CloudWatch Logs group (for metric filters and Logs Insights). @default true */
                cloudWatchLogs: z.boolean().default(true),
            })
            .strict()
            .default({ enabled: true, dataEvents: true, cloudWatchLogs: true }),
        budget: z
            .object({
                /** Monthly cost budget in USD (seed 001 AC-COST-4: $1,500 prod; seed 002 §7.2: $100). @default 1500 */
                monthlyUsd: z.number().positive().default(1500),
                /** Actual-spend notification levels, percent of the budget. @default [80, 100] */
                actualPercents: z.array(z.number().positive()).min(1).default([80, 100]),
                /** Forecast notification level, percent. @default 100 */
                forecastPercent: z.number().positive().default(100),
                /** More budget email recipients (besides notifications.emails); max 10 in all. */
                emails: z.array(email).default([]),
            })
            .strict()
            .default({ monthlyUsd: 1500, actualPercents: [80, 100], forecastPercent: 100, emails: [] }),
        costAnomaly: z
            .object({
                enabled: z.boolean().default(true),
                /** Notify for anomalies whose total impact is at least this many USD. @default 100 */
                thresholdUsd: z.number().positive().default(100),
            })
            .strict()
            .default({ enabled: true, thresholdUsd: 100 }),
        /**
         * Activate Environment/Project/Owner/CostCenter as cost-allocation tags. Account-level:
         * exactly one stack per account may own them (prod). @default false
         */
        costAllocationTags: z.object({ enabled: z.boolean().default(false) }).strict().default({ enabled: false }),
    })
    .strict();

export type MonitoringConfig = z.infer<typeof schema>;

export function crossCheck(cfg: StackConfig, report: Report): void {
    const m = cfg.monitoring;
    // Prod alarm recipients (AC-OPS-2) are not a config error: a rule that needs a user-supplied
    // value would fail every prod fixture of every tier. Pulumi.prod.yaml carries the address
    // (tests/monitoring-stacks.test.ts guards it) and the component warns when prod has none.
    if (cfg.environment === "prod" && !m.audit.enabled) {
        report("monitoring.audit.enabled", "prod must record every API call in CloudTrail (seed 001 AC-SEC-7)", `pulumi config set --path 'monitoring.audit.enabled' true --stack ${cfg.stack}`);
    }
    const budgetRecipients = new Set([...m.notifications.emails, ...m.budget.emails]);
    if (budgetRecipients.size > 10) {
        report("monitoring.budget.emails", `AWS Budgets accepts at most 10 email subscribers per notification, got ${budgetRecipients.size} (notifications.emails + budget.emails)`, "subscribe a distribution list instead of individuals");
    }
    m.budget.actualPercents.forEach((p, i) => {
        if (p > 1000) {
            report(`monitoring.budget.actualPercents[${i}]`, `expected a percent of the budget (e.g. 80), got ${p}`);
        }
    });
}

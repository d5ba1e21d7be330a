import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ComputeOutputs, DataOutputs, EdgeOutputs, NetworkOutputs, PlatformContext } from "../contracts";
import type { Environment } from "../validation";
import type { StackConfig } from "../config";
import { resolveThresholds } from "./thresholds";
import { alarmInventory, alarmMetricArgs, AlarmSpec, InventoryInputs, logMetricSpecs, LogMetricSpec } from "./inventory";
import { DASHBOARD_NAMES, dashboardBodies } from "./dashboards";
import { AlarmTopic } from "./alarm-topic";
import { AuditTrail } from "./audit-trail";
import { CostControls } from "./cost-controls";
import { assumeRolePolicy, chatbotReadOnlyPolicy } from "./policies";
import { recipientWarnings } from "./recipients";

export interface MonitoringArgs {
    /** The validated `monitoring` section of the stack configuration. */
    config: StackConfig["monitoring"];
    ctx: PlatformContext;
    environment: Environment;
    /** The stack's default tags (cost-allocation tag keys). */
    tags: Readonly<Record<string, string>>;
    /** Protect keys and the audit log group (prod). */
    protect: boolean;
    /** us-east-1 provider: CloudFront metrics and therefore their alarms and topic live there. */
    usEast1: aws.Provider;
    network: NetworkOutputs;
    /** The data tier's outputs; partial while tiers land. */
    data?: Partial<DataOutputs>;
    /** The compute tier's outputs; partial while tiers land. */
    compute?: Partial<ComputeOutputs>;
    /** The edge tier's outputs; partial while tiers land. */
    edge?: Partial<EdgeOutputs>;
}

/**
 * Monitoring, audit and cost controls of one stack, all derived from the other tiers' outputs:
 * alarm topics (main region, and us-east-1 for CloudFront), email and Slack (AWS Chatbot)
 * notifications, the alarm inventory as MetricAlarms, ERROR-line metric filters, three
 * dashboards, an X-Ray sampling rule and group, the CloudTrail trail, a budget and cost anomaly
 * detection.
 *
 * Costs (ap-northeast-1): $0.10 per standard alarm per month ($0.30 for metric-math alarms with
 * 3 metrics); dashboards beyond 3 per account $3/month; KMS keys $1/month each (alarm topic,
 * audit, + us-east-1 topic with CloudFront); see AuditTrail and CostControls for theirs.
 */
export class Monitoring extends pulumi.ComponentResource {
    /** Every alarm of the stack (pure inventory), in creation order. */
    public readonly inventory: readonly AlarmSpec[];
    public readonly logMetrics: readonly LogMetricSpec[];
    public readonly alarmTopicArn: pulumi.Output<string>;
    public readonly usEast1AlarmTopicArn?: pulumi.Output<string>;
    public readonly alarmArns: Readonly<Record<string, pulumi.Output<string>>>;
    public readonly dashboardNames: pulumi.Output<string>[];
    public readonly trailArn?: pulumi.Output<string>;
    public readonly budgetName: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:monitoring:Monitoring", name, {}, opts);
        const cfg = args.config;
        const ctx = args.ctx;
        const child = { parent: this };
        const usEast1Opts = { parent: this, provider: args.usEast1 };

        // --- what to watch (pure) ---
        const logGroups = [...(args.data?.logGroups ?? []), ...(args.compute?.logGroups ?? []), ...(args.edge?.logGroups ?? [])];
        this.logMetrics = cfg.errorLogs.enabled ? logMetricSpecs(ctx.namePrefix, logGroups, cfg.errorLogs.pattern) : [];
        const inputs: InventoryInputs = {
            namePrefix: ctx.namePrefix,
            thresholds: resolveThresholds(cfg.thresholds),
            data: args.data,
            compute: args.compute,
            edge: args.edge,
            logMetrics: this.logMetrics,
        };
        this.inventory = alarmInventory(inputs);
        const needsUsEast1 = this.inventory.some((s) => s.region === "usEast1");

        // --- notifications ---
        for (const warning of recipientWarnings({
            environment: args.environment,
            notificationEmails: cfg.notifications.emails,
            budgetEmails: cfg.budget.emails,
            slack: cfg.notifications.slack !== undefined,
        })) {
            pulumi.log.warn(warning, this);
        }
        const topic = new AlarmTopic(
            `${name}-alarms`,
            { topicName: `${ctx.namePrefix}-alarms`, region: ctx.region, accountId: ctx.accountId, partition: ctx.partition, services: ["cloudwatch", "budgets", "costAnomaly"], emails: cfg.notifications.emails, protect: args.protect },
            child,
        );
        this.alarmTopicArn = topic.topicArn;
        let usEast1Topic: AlarmTopic | undefined;
        if (needsUsEast1) {
            usEast1Topic = new AlarmTopic(
                `${name}-alarms-us-east-1`,
                { topicName: `${ctx.namePrefix}-alarms-us-east-1`, region: "us-east-1", accountId: ctx.accountId, partition: ctx.partition, services: ["cloudwatch"], emails: cfg.notifications.emails, protect: args.protect },
                { parent: this, providers: [args.usEast1] },
            );
            this.usEast1AlarmTopicArn = usEast1Topic.topicArn;
        }
        const slack = cfg.notifications.slack;
        if (slack) {
            const regions = needsUsEast1 ? [ctx.region, "us-east-1"] : [ctx.region];
            const readOnly = pulumi.all([ctx.accountId, ctx.partition]).apply(([accountId, partition]) => JSON.stringify(chatbotReadOnlyPolicy({ accountId, partition, region: ctx.region }, ctx.namePrefix, regions)));
            const role = new aws.iam.Role(
                `${name}-chatbot-role`,
                { name: `${ctx.namePrefix}-chatbot`, description: "AWS Chatbot: read this stack's alarms for Slack notifications", assumeRolePolicy: JSON.stringify(assumeRolePolicy("chatbot.amazonaws.com")) },
                child,
            );
            new aws.iam.RolePolicy(`${name}-chatbot-policy`, { role: role.name, policy: readOnly }, child);
            // Guardrail: without one, Chatbot applies AdministratorAccess to what channel members may run.
            const guardrail = new aws.iam.Policy(`${name}-chatbot-guardrail`, { name: `${ctx.namePrefix}-chatbot-guardrail`, description: "Upper bound of what the Slack channel may do: read this stack's alarms", policy: readOnly }, child);
            new aws.chatbot.SlackChannelConfiguration(
                `${name}-slack`,
                {
                    configurationName: `${ctx.namePrefix}-alarms`,
                    iamRoleArn: role.arn,
                    slackTeamId: slack.workspaceId,
                    slackChannelId: slack.channelId,
                    snsTopicArns: [topic.topicArn, ...(usEast1Topic ? [usEast1Topic.topicArn] : [])],
                    guardrailPolicyArns: [guardrail.arn],
                    loggingLevel: "ERROR",
                    userAuthorizationRequired: true,
                    region: slack.apiRegion,
                    tags: { Name: `${ctx.namePrefix}-alarms` },
                },
                child,
            );
        }

        // --- log metric filters ---
        for (const lm of this.logMetrics) {
            new aws.cloudwatch.LogMetricFilter(
                `${name}-filter-${lm.key}`,
                {
                    name: `${ctx.namePrefix}-${lm.metricName}`,
                    logGroupName: lm.logGroup.name,
                    pattern: lm.pattern,
                    metricTransformation: { name: lm.metricName, namespace: lm.namespace, value: "1", defaultValue: "0", unit: "Count" },
                },
                child,
            );
        }

        // --- alarms ---
        const alarmArns: Record<string, pulumi.Output<string>> = {};
        for (const spec of this.inventory) {
            const target = spec.region === "usEast1" ? usEast1Topic!.topicArn : topic.topicArn;
            const notify = spec.severity === "critical" || cfg.notifications.warnings;
            const alarm = new aws.cloudwatch.MetricAlarm(
                `${name}-alarm-${spec.id}`,
                {
                    name: `${ctx.namePrefix}-${spec.id}`,
                    alarmDescription: spec.description,
                    comparisonOperator: spec.comparison,
                    threshold: spec.threshold,
                    evaluationPeriods: spec.evaluationPeriods,
                    treatMissingData: spec.treatMissingData,
                    ...alarmMetricArgs(spec),
                    actionsEnabled: true,
                    alarmActions: notify ? [target] : [],
                    okActions: spec.severity === "critical" ? [target] : [],
                    tags: { Name: `${ctx.namePrefix}-${spec.id}`, Severity: spec.severity, Metric: spec.metricId },
                },
                spec.region === "usEast1" ? usEast1Opts : child,
            );
            alarmArns[spec.id] = alarm.arn;
        }
        this.alarmArns = alarmArns;

        // --- dashboards (same inventory) ---
        this.dashboardNames = [];
        if (cfg.dashboards.enabled) {
            const critical = this.inventory.filter((s) => s.severity === "critical" && s.region === "main").map((s) => alarmArns[s.id]);
            const bodies = dashboardBodies(this.inventory, inputs, ctx.region, critical);
            for (const dn of DASHBOARD_NAMES) {
                const d = new aws.cloudwatch.Dashboard(`${name}-dashboard-${dn}`, { dashboardName: `${ctx.namePrefix}-${dn}`, dashboardBody: pulumi.jsonStringify(pulumi.output(bodies[dn])) }, child);
                this.dashboardNames.push(d.dashboardName);
            }
        }

        // --- tracing (seed 002 §3.3, seed 003 T) ---
        new aws.xray.SamplingRule(
            `${name}-sampling`,
            {
                ruleName: ctx.namePrefix.slice(0, 32),
                priority: 1000,
                version: 1,
                reservoirSize: cfg.tracing.reservoirPerSecond,
                fixedRate: cfg.tracing.samplingRate,
                serviceName: `${ctx.namePrefix}*`,
                serviceType: "*",
                host: "*",
                httpMethod: "*",
                urlPath: "*",
                resourceArn: "*",
                tags: { Name: ctx.namePrefix },
            },
            child,
        );
        new aws.xray.Group(
            `${name}-xray-group`,
            { groupName: ctx.namePrefix, filterExpression: xrayGroupFilter(args.compute, args.edge, ctx.namePrefix), insightsConfiguration: { insightsEnabled: true, notificationsEnabled: false }, tags: { Name: ctx.namePrefix } },
            child,
        );

        // --- audit (seed 002 §4.2, seed 001 AC-SEC-7) ---
        const logsBucket = args.data?.buckets?.logs;
        if (cfg.audit.enabled && logsBucket) {
            const dataBuckets = Object.entries(args.data?.buckets ?? {})
                .filter(([k]) => k !== "logs")
                .sort(([a], [b]) => a.localeCompare(b));
            const tables = Object.entries(args.data?.tables ?? {}).sort(([a], [b]) => a.localeCompare(b));
            const audit = new AuditTrail(
                `${name}-audit`,
                {
                    namePrefix: ctx.namePrefix,
                    region: ctx.region,
                    accountId: ctx.accountId,
                    partition: ctx.partition,
                    logsBucketName: logsBucket.name,
                    dataBucketArns: dataBuckets.map(([, b]) => b.arn),
                    tableArns: tables.map(([, t]) => t.arn),
                    dataEvents: cfg.audit.dataEvents,
                    cloudWatchLogs: cfg.audit.cloudWatchLogs,
                    logsKeyArn: ctx.logsKeyArn,
                    retentionDays: cfg.logRetentionDays.audit,
                    protect: args.protect,
                },
                child,
            );
            this.trailArn = audit.trailArn;
        } else if (cfg.audit.enabled) {
            // wiring: the data tier's `logs` bucket is not there yet; the trail appears once it is.
            pulumi.log.warn("monitoring: CloudTrail is enabled but the data tier exposes no `logs` bucket yet; no trail was created", this);
        }

        // --- cost controls (seed 001 AC-COST-4, seed 002 §7.2) ---
        const costs = new CostControls(
            `${name}-costs`,
            {
                namePrefix: ctx.namePrefix,
                environment: args.environment,
                tags: args.tags,
                monthlyUsd: cfg.budget.monthlyUsd,
                actualPercents: cfg.budget.actualPercents,
                forecastPercent: cfg.budget.forecastPercent,
                emails: [...new Set([...cfg.notifications.emails, ...cfg.budget.emails])],
                topicArn: topic.topicArn,
                anomaly: cfg.costAnomaly,
                costAllocationTags: cfg.costAllocationTags.enabled,
            },
            child,
        );
        this.budgetName = costs.budgetName;

        this.registerOutputs({
            alarmTopicArn: this.alarmTopicArn,
            usEast1AlarmTopicArn: this.usEast1AlarmTopicArn,
            dashboardNames: this.dashboardNames,
            trailArn: this.trailArn,
            budgetName: this.budgetName,
        });
    }
}

/**
 * X-Ray group of the stack: traces that touch one of its functions, its API stage or its state
 * machines (X-Ray names them by function name, `<api>/<stage>` and state machine name). Without
 * any yet, traces annotated with the stack's name prefix.
 */
export function xrayGroupFilter(compute: Partial<ComputeOutputs> | undefined, edge: Partial<EdgeOutputs> | undefined, namePrefix: string): pulumi.Output<string> {
    const names: pulumi.Input<string>[] = [
        ...Object.values(compute?.functions ?? {}).map((f) => f.functionName),
        ...Object.values(compute?.stateMachines ?? {}).map((s) => s.name),
        ...(edge?.api ? [pulumi.interpolate`${edge.api.name}/${edge.api.stageName}`] : []),
    ];
    return pulumi.all(names).apply((list) => (list.length > 0 ? [...list].sort().map((n) => `service("${n}")`).join(" OR ") : `annotation.stack = "${namePrefix}"`));
}

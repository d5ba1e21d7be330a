/**
 * Pure builders for the monitoring tier's policies and service payloads: the alarm key and topic
 * policies, the audit key policy, the CloudTrail-to-Logs role, the Chatbot role, CloudTrail event
 * selectors, budget notifications and the anomaly monitor specification. Table-driven tests in
 * tests/monitoring.test.ts.
 */
import type { AccountContext, PolicyDocument, PolicyStatement } from "../security/key-policy";

/** AWS services that publish to the alarm topic. */
export const NOTIFYING_SERVICES = {
    cloudwatch: "cloudwatch.amazonaws.com",
    budgets: "budgets.amazonaws.com",
    costAnomaly: "costalerts.amazonaws.com",
} as const;
export type NotifyingService = keyof typeof NOTIFYING_SERVICES;

/**
 * Key-policy statement that lets the publishing services write to a topic encrypted with this key
 * (SNS calls KMS with the publisher's identity). AWS's documented statement for "event sources
 * from AWS services and encrypted topics": GenerateDataKey* and Decrypt, nothing else. The topic
 * policy (below) pins each service to this account's alarms, budgets and anomaly subscriptions.
 */
export function notifyingServicesKeyStatement(services: readonly NotifyingService[]): PolicyStatement {
    return {
        Sid: "NotifyingServicesUseKey",
        Effect: "Allow",
        Principal: { Service: services.map((s) => NOTIFYING_SERVICES[s]) },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
    };
}

/** Where each service's notifications come from, for the aws:SourceArn condition. */
export function sourceArnPattern(service: NotifyingService, ctx: AccountContext): string {
    switch (service) {
        case "cloudwatch":
            return `arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:*`;
        case "budgets":
            return `arn:${ctx.partition}:budgets::${ctx.accountId}:*`;
        case "costAnomaly":
            return `arn:${ctx.partition}:ce::${ctx.accountId}:anomalysubscription/*`;
    }
}

/** Topic policy: each service may publish for this account only; publishing requires TLS. */
export function alarmTopicPolicy(topicArn: string, ctx: AccountContext, services: readonly NotifyingService[]): PolicyDocument {
    const statements: PolicyStatement[] = services.map((s) => ({
        Sid: `Allow${s.charAt(0).toUpperCase()}${s.slice(1)}Publish`,
        Effect: "Allow",
        Principal: { Service: NOTIFYING_SERVICES[s] },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: {
            StringEquals: { "aws:SourceAccount": ctx.accountId },
            ArnLike: { "aws:SourceArn": sourceArnPattern(s, ctx) },
        },
    }));
    statements.push({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { Bool: { "aws:SecureTransport": false } },
    });
    return { Version: "2012-10-17", Statement: statements };
}

export function trailArn(ctx: AccountContext, name: string): string {
    return `arn:${ctx.partition}:cloudtrail:${ctx.region}:${ctx.accountId}:trail/${name}`;
}

/**
 * Audit key statements (AWS "Configure AWS KMS key policies for CloudTrail"): CloudTrail may
 * generate data keys only for this trail (aws:SourceArn) and only with a CloudTrail encryption
 * context of this account; it may describe the key. Reading logs is granted through IAM (the
 * account root statement), not here.
 */
export function cloudTrailKeyStatements(ctx: AccountContext, name: string): PolicyStatement[] {
    const arn = trailArn(ctx, name);
    return [
        {
            Sid: "CloudTrailEncryptLogs",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:GenerateDataKey*",
            Resource: "*",
            Condition: {
                StringEquals: { "aws:SourceArn": arn },
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${ctx.partition}:cloudtrail:*:${ctx.accountId}:trail/*` },
            },
        },
        {
            Sid: "CloudTrailDescribeKey",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:DescribeKey",
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceArn": arn } },
        },
    ];
}

/** Trust policy for a service role, optionally pinned by conditions (e.g. aws:SourceArn). */
export function assumeRolePolicy(service: string, conditions?: PolicyStatement["Condition"]): { Version: "2012-10-17"; Statement: Omit<PolicyStatement, "Resource">[] } {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(conditions ? { Condition: conditions } : {}) }],
    };
}

/** CloudTrail delivering to its log group: create streams and put events there, nowhere else. */
export function cloudTrailLogsPolicy(logGroupArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "CloudTrailWritesItsLogGroup",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${logGroupArn}:log-stream:*`,
            },
        ],
    };
}

/**
 * Read-only permissions of the Chatbot channel role (and its guardrail): describe this stack's
 * alarms and their history so Chatbot can render the notification. Both actions take alarm ARNs.
 * (Metric graphs in Slack would need cloudwatch:GetMetricWidgetImage, which has no resource type;
 * it is left out until it is on policypack/allowlists.ts.)
 */
export function chatbotReadOnlyPolicy(ctx: AccountContext, namePrefix: string, regions: readonly string[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadThisStacksAlarms",
                Effect: "Allow",
                Action: ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"],
                Resource: [...new Set(regions)].map((r) => `arn:${ctx.partition}:cloudwatch:${r}:${ctx.accountId}:alarm:${namePrefix}-*`),
            },
        ],
    };
}

export interface FieldSelector {
    field: string;
    equals?: string[];
    startsWiths?: string[];
}
export interface AdvancedEventSelector {
    name: string;
    fieldSelectors: FieldSelector[];
}

/**
 * CloudTrail advanced event selectors: all management events; with `dataEvents`, object-level
 * events of the given buckets (ARN prefix `<bucket arn>/`) and item-level events of the given
 * tables. The logs bucket must not be in `bucketArns` (the trail would log its own writes).
 */
export function trailEventSelectors(bucketArns: readonly string[], tableArns: readonly string[], dataEvents: boolean): AdvancedEventSelector[] {
    const selectors: AdvancedEventSelector[] = [{ name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] }];
    if (!dataEvents) {
        return selectors;
    }
    if (bucketArns.length > 0) {
        selectors.push({
            name: "S3 data events of the data buckets",
            fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::S3::Object"] },
                { field: "resources.ARN", startsWiths: bucketArns.map((a) => `${a}/`) },
            ],
        });
    }
    if (tableArns.length > 0) {
        selectors.push({
            name: "DynamoDB data events of the tables",
            fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::DynamoDB::Table"] },
                { field: "resources.ARN", startsWiths: [...tableArns] },
            ],
        });
    }
    return selectors;
}

export interface BudgetNotificationSpec {
    comparisonOperator: "GREATER_THAN";
    notificationType: "ACTUAL" | "FORECASTED";
    threshold: number;
    thresholdType: "PERCENTAGE";
    subscriberSnsTopicArns: string[];
    subscriberEmailAddresses?: string[];
}

/** Actual-spend notifications at each percent and one forecast notification, to the topic and the emails. */
export function budgetNotifications(actualPercents: readonly number[], forecastPercent: number, topicArn: string, emails: readonly string[]): BudgetNotificationSpec[] {
    const to = { subscriberSnsTopicArns: [topicArn], ...(emails.length > 0 ? { subscriberEmailAddresses: [...new Set(emails)] } : {}) };
    return [
        ...[...new Set(actualPercents)].sort((a, b) => a - b).map((p) => ({ comparisonOperator: "GREATER_THAN" as const, notificationType: "ACTUAL" as const, threshold: p, thresholdType: "PERCENTAGE" as const, ...to })),
        { comparisonOperator: "GREATER_THAN", notificationType: "FORECASTED", threshold: forecastPercent, thresholdType: "PERCENTAGE", ...to },
    ];
}

/** Budget cost filter on the Environment tag (`user:` prefix: a user-defined cost-allocation tag). */
export function budgetCostFilters(environment: string): { name: string; values: string[] }[] {
    return [{ name: "TagKeyValue", values: [`user:Environment$${environment}`] }];
}

/**
 * Cost Anomaly Detection custom monitor over this environment's tagged spend. A DIMENSIONAL
 * SERVICE monitor is account-wide and AWS allows only one, so each stack watches its own tag.
 * Every key is spelled out (null included) the way the API echoes it, so there is no diff loop.
 */
export function anomalyMonitorSpecification(environment: string): string {
    return JSON.stringify({
        And: null,
        CostCategories: null,
        Dimensions: null,
        Not: null,
        Or: null,
        Tags: { Key: "Environment", MatchOptions: ["EQUALS"], Values: [environment] },
    });
}

/** The cost-allocation tag keys: the provider default tags that carry cost meaning. */
export function costAllocationTagKeys(tags: Readonly<Record<string, string>>): string[] {
    return ["Environment", "Project", "Owner", "CostCenter"].filter((k) => tags[k] !== undefined);
}

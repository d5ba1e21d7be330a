import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { LOG_PREFIXES, trailName } from "../contracts";
import { KmsKey } from "../security/kms-key";
import { keyPolicy, rootStatement } from "../security/key-policy";
import { assumeRolePolicy, cloudTrailKeyStatements, cloudTrailLogsPolicy, trailArn, trailEventSelectors } from "./policies";

export interface AuditTrailArgs {
    namePrefix: string;
    region: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** The data tier's `logs` bucket; its policy grants CloudTrail by the trail name `trailName(namePrefix)`. */
    logsBucketName: pulumi.Input<string>;
    /** ARNs of the data buckets (not the logs bucket) whose object-level events are recorded. */
    dataBucketArns: pulumi.Input<string>[];
    /** ARNs of the tables whose item-level events are recorded. */
    tableArns: pulumi.Input<string>[];
    /** Record data events of the buckets and tables. */
    dataEvents: boolean;
    /** Also deliver to a CloudWatch Logs group, encrypted with `logsKeyArn`. */
    cloudWatchLogs: boolean;
    logsKeyArn: pulumi.Input<string>;
    retentionDays: number;
    protect: boolean;
}

/**
 * The stack's CloudTrail trail (seed 001 AC-SEC-7, seed 002 §4.2): multi-region, global service
 * events, log file validation, SSE-KMS with its own audit key, delivery to the logs bucket under
 * `cloudtrail/` and (optionally) to a KMS-encrypted CloudWatch Logs group; management events and
 * data events of the data buckets and tables.
 *
 * Creates: KmsKey (`<name>-key`), `aws.cloudtrail.Trail` (`<name>-trail`), and with CloudWatch
 * Logs: `aws.cloudwatch.LogGroup` (`<name>-log-group`), `aws.iam.Role` + `aws.iam.RolePolicy`
 * (`<name>-logs-role`, `<name>-logs-policy`).
 * Costs: the first copy of management events is free; a second trail in the same account pays
 * $2 per 100,000 management events; data events $0.10 per 100,000; key $1/month; Logs ingestion
 * $0.76/GB (ap-northeast-1).
 */
export class AuditTrail extends pulumi.ComponentResource {
    public readonly trailArn: pulumi.Output<string>;
    public readonly trailName: string;
    public readonly keyArn: pulumi.Output<string>;
    public readonly logGroupName?: pulumi.Output<string>;

    constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:monitoring:AuditTrail", name, {}, opts);
        const physical = trailName(args.namePrefix);
        const account = pulumi.all([args.accountId, args.partition]).apply(([accountId, partition]) => ({ accountId, partition, region: args.region }));

        const key = new KmsKey(
            `${name}-key`,
            {
                description: `${args.namePrefix}: CloudTrail log files`,
                alias: `${args.namePrefix}-audit`,
                policy: account.apply((a) => JSON.stringify(keyPolicy([rootStatement(a), ...cloudTrailKeyStatements(a, physical)]))),
                protect: args.protect,
            },
            { parent: this },
        );

        let cloudWatch: { cloudWatchLogsGroupArn: pulumi.Output<string>; cloudWatchLogsRoleArn: pulumi.Output<string> } | undefined;
        let policy: aws.iam.RolePolicy | undefined;
        if (args.cloudWatchLogs) {
            const group = new aws.cloudwatch.LogGroup(
                `${name}-log-group`,
                { name: `/aws/cloudtrail/${physical}`, retentionInDays: args.retentionDays, kmsKeyId: args.logsKeyArn, tags: { Name: `${physical}-logs` } },
                { parent: this, protect: args.protect, retainOnDelete: args.protect },
            );
            const role = new aws.iam.Role(
                `${name}-logs-role`,
                {
                    name: `${args.namePrefix}-cloudtrail-logs`,
                    description: `CloudTrail ${physical} delivers to its log group`,
                    assumeRolePolicy: account.apply((a) => JSON.stringify(assumeRolePolicy("cloudtrail.amazonaws.com", { StringEquals: { "aws:SourceArn": trailArn(a, physical) } }))),
                },
                { parent: this },
            );
            policy = new aws.iam.RolePolicy(
                `${name}-logs-policy`,
                { role: role.name, policy: group.arn.apply((arn) => JSON.stringify(cloudTrailLogsPolicy(arn))) },
                { parent: this },
            );
            cloudWatch = { cloudWatchLogsGroupArn: pulumi.interpolate`${group.arn}:*`, cloudWatchLogsRoleArn: role.arn };
            this.logGroupName = group.name;
        }

        const selectors = pulumi
            .all([pulumi.all(args.dataBucketArns), pulumi.all(args.tableArns)])
            .apply(([buckets, tables]) => trailEventSelectors(buckets, tables, args.dataEvents));
        const trail = new aws.cloudtrail.Trail(
            `${name}-trail`,
            {
                name: physical,
                s3BucketName: args.logsBucketName,
                s3KeyPrefix: LOG_PREFIXES.cloudtrail,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
                kmsKeyId: key.arn,
                advancedEventSelectors: selectors,
                ...(cloudWatch ?? {}),
                tags: { Name: physical },
            },
            // The role's permissions must exist before CloudTrail validates the log group delivery.
            { parent: this, dependsOn: policy ? [policy] : [] },
        );
        this.trailArn = trail.arn;
        this.trailName = physical;
        this.keyArn = key.arn;
        this.registerOutputs({ trailArn: this.trailArn, keyArn: this.keyArn, logGroupName: this.logGroupName });
    }
}

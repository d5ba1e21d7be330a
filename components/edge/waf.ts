import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { LogGroupRef } from "../contracts";
import { wafLogGroupName, wafRules } from "./policies";

export interface WebAclArgs {
    /** CLOUDFRONT (must be created in us-east-1) or REGIONAL (API Gateway stages, ALBs). */
    scope: "CLOUDFRONT" | "REGIONAL";
    /** Region of the provider this component is created with; checked against the scope. */
    region: string;
    /** `<project>-<stack>`, prefix of physical names and metric names. */
    namePrefix: string;
    /** The validated `edge.waf` section. */
    config: {
        readonly rateLimitPer5Min: number;
        readonly managedRuleGroups: ReadonlyArray<{ readonly name: string; readonly countRules: readonly string[] }>;
        readonly ipSets: { readonly allow: readonly string[]; readonly block: readonly string[] };
        readonly allowListOnly: boolean;
        readonly logRetentionDays: number;
    };
    /** CMK of the WAF log group; must be usable by CloudWatch Logs in `region`. */
    logsKeyArn: pulumi.Input<string>;
}

/**
 * A WAFv2 web ACL: IP block list, per-IP rate limit (allow list exempt), the AWS managed rule
 * groups, optional allow-list-only mode; logs to a KMS-encrypted `aws-waf-logs-*` log group with
 * the Authorization header redacted.
 *
 * Creates: `aws.wafv2.IpSet` (0-2), `aws.wafv2.WebAcl`, `aws.cloudwatch.LogGroup`,
 * `aws.wafv2.WebAclLoggingConfiguration`.
 * Costs: $5/month per web ACL + $1/month per rule or rule group + $0.60 per million requests;
 * logs $0.76/GB ingested (ap-northeast-1; us-east-1 $0.50/GB).
 */
export class WebAcl extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    public readonly id: pulumi.Output<string>;
    public readonly name: pulumi.Output<string>;
    public readonly logGroup: LogGroupRef;

    constructor(name: string, args: WebAclArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:WebAcl", name, {}, opts);
        if (args.scope === "CLOUDFRONT" && args.region !== "us-east-1") {
            throw new Error(`WebAcl ${name}: a CLOUDFRONT web ACL must be created in us-east-1 (pass providers.usEast1), got region ${args.region}`);
        }
        const cfg = args.config;
        const child = { parent: this };
        const label = args.scope === "CLOUDFRONT" ? "cloudfront" : "regional";
        const physical = `${args.namePrefix}-${label}`;

        const ipSet = (role: "allow" | "block", cidrs: readonly string[]) =>
            cidrs.length === 0
                ? undefined
                : new aws.wafv2.IpSet(
                      `${name}-${role}-ips`,
                      { name: `${physical}-${role}`, scope: args.scope, ipAddressVersion: "IPV4", addresses: [...cidrs], description: `${physical}: ${role} list (edge.waf.ipSets.${role})` },
                      child,
                  );
        const allow = ipSet("allow", cfg.ipSets.allow);
        const block = ipSet("block", cfg.ipSets.block);

        const rules = pulumi.all([allow?.arn, block?.arn]).apply(([allowArn, blockArn]) =>
            wafRules({
                metricPrefix: physical,
                rateLimitPer5Min: cfg.rateLimitPer5Min,
                managedRuleGroups: cfg.managedRuleGroups,
                allowIpSetArn: allowArn,
                blockIpSetArn: blockArn,
                allowListOnly: cfg.allowListOnly,
            }),
        );

        const acl = new aws.wafv2.WebAcl(
            `${name}-acl`,
            {
                name: physical,
                description: `${physical}: ${args.scope} web ACL (managed rules, rate limit, IP sets)`,
                scope: args.scope,
                defaultAction: cfg.allowListOnly ? { block: {} } : { allow: {} },
                rules: rules as pulumi.Input<aws.types.input.wafv2.WebAclRule[]>,
                visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: physical, sampledRequestsEnabled: true },
            },
            child,
        );

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: wafLogGroupName(args.namePrefix, label), retentionInDays: cfg.logRetentionDays, kmsKeyId: args.logsKeyArn },
            child,
        );
        new aws.wafv2.WebAclLoggingConfiguration(
            `${name}-logging`,
            {
                resourceArn: acl.arn,
                logDestinationConfigs: [logGroup.arn],
                redactedFields: [{ singleHeader: { name: "authorization" } }],
            },
            child,
        );

        this.arn = acl.arn;
        this.id = acl.id;
        this.name = acl.name;
        this.logGroup = { name: logGroup.name, arn: logGroup.arn, kind: "waf", owner: label };
        this.registerOutputs({ arn: this.arn, id: this.id, logGroupName: logGroup.name });
    }
}

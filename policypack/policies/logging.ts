/**
 * Logging and audit (seed 001 AC-SEC-7, AC-OPS-1, log retention table; 000 INFRA-012; 002 §3).
 * CloudTrail and log retention are mandatory (audit trail, cost); access logs of the entry points
 * are advisory by default and raised to mandatory for prod in config/prod.json.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configOf, forTypes, isCmkRef, isSetOrUnknown, safe } from "./util";

export const albAccessLogs: ResourceValidationPolicy = {
    name: "alb-access-logs",
    description:
        "Application load balancers must write access logs to S3 (accessLogs.enabled with a bucket): they are the only record " +
        "of client IPs, latencies and status codes per request when investigating abuse or an outage.",
    remediationSteps: "Set accessLogs: { bucket: <log bucket>, prefix: \"alb\", enabled: true } and allow the ELB log-delivery principal in that bucket's policy.",
    enforcementLevel: "advisory",
    severity: "medium",
    validateResource: forTypes(["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"], (args, report) => {
        const type = safe(() => args.props["loadBalancerType"]) ?? "application";
        if (type !== "application") return;
        const enabled = safe(() => args.props["accessLogs"]?.enabled);
        const bucket = isSetOrUnknown(() => args.props["accessLogs"]?.bucket);
        if (enabled !== true || !bucket) report("accessLogs must be enabled with a bucket.");
    }),
};

export const cloudfrontLogging: ResourceValidationPolicy = {
    name: "cloudfront-logging",
    description: "CloudFront distributions must log requests (loggingConfig.bucket): edge logs are the only view of traffic WAF allowed or blocked before it reached the origin.",
    remediationSteps: "Set loggingConfig: { bucket: <log bucket domain name>, prefix: \"cloudfront/\" } (the bucket needs ACLs enabled for the awslogsdelivery account).",
    enforcementLevel: "advisory",
    severity: "low",
    validateResource: forTypes(["aws:cloudfront/distribution:Distribution"], (args, report) => {
        if (!isSetOrUnknown(() => args.props["loggingConfig"]?.bucket)) report("loggingConfig.bucket must be set.");
    }),
};

export const apiGatewayAccessLogs: ResourceValidationPolicy = {
    name: "apigateway-access-logs",
    description: "API Gateway stages (REST and HTTP) must write access logs (accessLogSettings.destinationArn): per-request caller, route and status for audits and debugging.",
    remediationSteps: "Set accessLogSettings: { destinationArn: <log group ARN>, format: JSON.stringify({ requestId: \"$context.requestId\", ... }) }.",
    enforcementLevel: "advisory",
    severity: "medium",
    validateResource: forTypes(["aws:apigateway/stage:Stage", "aws:apigatewayv2/stage:Stage"], (args, report) => {
        if (!isSetOrUnknown(() => args.props["accessLogSettings"]?.destinationArn)) report("accessLogSettings.destinationArn must be set.");
    }),
};

export const cloudtrailSecure: ResourceValidationPolicy = {
    name: "cloudtrail-secure",
    description:
        "CloudTrail trails must be multi-region, validate log files and encrypt with a customer managed key (AC-SEC-7): a " +
        "single-region trail misses IAM/global and other-region activity, and unvalidated logs can be altered unnoticed.",
    remediationSteps: "Set isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: <CMK ARN> (and includeGlobalServiceEvents: true).",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: forTypes(["aws:cloudtrail/trail:Trail"], (args, report) => {
        if (safe(() => args.props["isMultiRegionTrail"]) !== true) report("isMultiRegionTrail must be true.");
        if (safe(() => args.props["enableLogFileValidation"]) !== true) report("enableLogFileValidation must be true.");
        if (!isCmkRef(() => args.props["kmsKeyId"])) report("kmsKeyId must name a customer managed KMS key.");
    }),
};

export const logGroupRetention: ResourceValidationPolicy = {
    name: "log-group-retention",
    description:
        "CloudWatch log groups must set retentionInDays (at least minimumRetentionDays): the default is to keep logs forever, " +
        "which grows cost without bound and keeps personal data longer than the retention rules allow (001 log retention).",
    remediationSteps: "Set retentionInDays from the stack config (prod 90 for application logs, 30 for flow logs; staging 30/7; dev 7).",
    enforcementLevel: "mandatory",
    severity: "low",
    configSchema: {
        properties: {
            minimumRetentionDays: { type: "integer", default: 1, description: "Smallest accepted retentionInDays." },
        },
    },
    validateResource: forTypes(["aws:cloudwatch/logGroup:LogGroup"], (args, report) => {
        const { minimumRetentionDays } = configOf(args, { minimumRetentionDays: 1 });
        const days = safe(() => args.props["retentionInDays"]);
        if (typeof days !== "number" || days <= 0) report("retentionInDays must be set (0/unset keeps logs forever).");
        else if (days < minimumRetentionDays) report(`retentionInDays ${days} is below the minimum ${minimumRetentionDays}.`);
    }),
};

export const loggingPolicies = [albAccessLogs, cloudfrontLogging, apiGatewayAccessLogs, cloudtrailSecure, logGroupRetention];

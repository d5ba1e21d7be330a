import { PolicyCase } from "../harness";
import { CMK } from "./common";
import { distribution } from "./encryption";

export const loggingCases: PolicyCase[] = [
    { policy: "alb-access-logs", title: "access logs on", violates: false, build: (g) => void g.add("aws:lb/loadBalancer:LoadBalancer", "alb", { accessLogs: { bucket: "logs-bkt", enabled: true, prefix: "alb" } }) },
    { policy: "alb-access-logs", title: "network LB is out of scope", violates: false, build: (g) => void g.add("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network" }) },
    { policy: "alb-access-logs", title: "no access logs (advisory by default)", violates: true, level: "advisory", build: (g) => void g.add("aws:lb/loadBalancer:LoadBalancer", "alb", {}) },
    {
        policy: "alb-access-logs",
        title: "raised to mandatory by config",
        violates: true,
        level: "mandatory",
        config: { "alb-access-logs": "mandatory" },
        build: (g) => void g.add("aws:lb/loadBalancer:LoadBalancer", "alb", { accessLogs: { bucket: "logs-bkt", enabled: false } }),
    },
    { policy: "cloudfront-logging", title: "logging config set", violates: false, build: (g) => void g.add("aws:cloudfront/distribution:Distribution", "cdn", distribution()) },
    { policy: "cloudfront-logging", title: "no logging", violates: true, build: (g) => void g.add("aws:cloudfront/distribution:Distribution", "cdn", distribution({ loggingConfig: undefined })) },
    { policy: "apigateway-access-logs", title: "REST stage with access logs", violates: false, build: (g) => void g.add("aws:apigateway/stage:Stage", "v1", { restApi: "api", stageName: "v1", deployment: "d", accessLogSettings: { destinationArn: "arn:aws:logs:ap-northeast-1:123456789012:log-group:api", format: "{}" } }) },
    { policy: "apigateway-access-logs", title: "HTTP API stage without access logs", violates: true, build: (g) => void g.add("aws:apigatewayv2/stage:Stage", "default", { apiId: "api", name: "$default" }) },
    { policy: "cloudtrail-secure", title: "multi-region validated encrypted trail", violates: false, build: (g) => void g.add("aws:cloudtrail/trail:Trail", "audit", { s3BucketName: "trail", isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: CMK }) },
    { policy: "cloudtrail-secure", title: "single-region trail without validation", violates: true, expectMessage: "isMultiRegionTrail", build: (g) => void g.add("aws:cloudtrail/trail:Trail", "audit", { s3BucketName: "trail", kmsKeyId: CMK }) },
    { policy: "log-group-retention", title: "30 days", violates: false, build: (g) => void g.add("aws:cloudwatch/logGroup:LogGroup", "app", { retentionInDays: 30, kmsKeyId: CMK }) },
    { policy: "log-group-retention", title: "never expires", violates: true, build: (g) => void g.add("aws:cloudwatch/logGroup:LogGroup", "app", { kmsKeyId: CMK }) },
    {
        policy: "log-group-retention",
        title: "config minimumRetentionDays 90 rejects 30",
        violates: true,
        config: { "log-group-retention": { minimumRetentionDays: 90 } },
        expectMessage: "below the minimum 90",
        build: (g) => void g.add("aws:cloudwatch/logGroup:LogGroup", "app", { retentionInDays: 30, kmsKeyId: CMK }),
    },
];

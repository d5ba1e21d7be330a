import { PolicyCase } from "../harness";
import { bucket, CMK, UNKNOWN_ARN } from "./common";

export const encryptionCases: PolicyCase[] = [
    // s3-bucket-sse-kms
    { policy: "s3-bucket-sse-kms", title: "bucket with an aws:kms SSE config under a CMK", violates: false, build: (g) => void bucket(g, "assets") },
    { policy: "s3-bucket-sse-kms", title: "bucket without SSE config", violates: true, expectMessage: "no BucketServerSideEncryptionConfiguration", build: (g) => void bucket(g, "assets", { sse: false }) },
    {
        policy: "s3-bucket-sse-kms",
        title: "bucket encrypted with SSE-S3 (AES256)",
        violates: true,
        expectMessage: "not with aws:kms",
        build: (g) => void bucket(g, "assets", { sse: { bucket: "assets-bkt", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] } }),
    },
    {
        policy: "s3-bucket-sse-kms",
        title: "aws:kms with the AWS managed alias/aws/s3 key",
        violates: true,
        build: (g) => void bucket(g, "assets", { sse: { bucket: "assets-bkt", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" } }] } }),
    },
    {
        policy: "s3-bucket-sse-kms",
        title: "the CMK ARN is unknown at preview (a key created in the same stack)",
        violates: false,
        build: (g) => void bucket(g, "assets", { sse: { bucket: "assets-bkt", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN_ARN } }] } }),
    },
    {
        policy: "s3-bucket-sse-kms",
        title: "SSE-S3 on a bucket listed in sseS3Exceptions with its reason",
        violates: false,
        config: { "s3-bucket-sse-kms": { sseS3Exceptions: { assets: "ALB access logs can only be delivered to SSE-S3 buckets" } } },
        build: (g) => void bucket(g, "assets", { sse: { bucket: "assets-bkt", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] } }),
    },
    {
        policy: "s3-bucket-sse-kms",
        title: "a bucket in sseS3Exceptions must still be encrypted",
        violates: true,
        expectMessage: "no BucketServerSideEncryptionConfiguration",
        config: { "s3-bucket-sse-kms": { sseS3Exceptions: { assets: "ALB access logs can only be delivered to SSE-S3 buckets" } } },
        build: (g) => void bucket(g, "assets", { sse: false }),
    },
    {
        policy: "s3-bucket-sse-kms",
        title: "an exception for another bucket does not cover this one",
        violates: true,
        expectMessage: "not with aws:kms",
        config: { "s3-bucket-sse-kms": { sseS3Exceptions: { "other-bucket": "ALB access logs can only be delivered to SSE-S3 buckets" } } },
        build: (g) => void bucket(g, "assets", { sse: { bucket: "assets-bkt", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] } }),
    },
    // s3-bucket-tls-only
    { policy: "s3-bucket-tls-only", title: "bucket policy denies aws:SecureTransport=false", violates: false, build: (g) => void bucket(g, "assets") },
    { policy: "s3-bucket-tls-only", title: "bucket without a policy", violates: true, build: (g) => void bucket(g, "assets", { policy: false }) },
    {
        policy: "s3-bucket-tls-only",
        title: "bucket policy without the TLS deny",
        violates: true,
        build: (g) =>
            void bucket(g, "assets", {
                policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/app" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::assets-bkt/*" }] }),
            }),
    },
    // rds-storage-encrypted
    { policy: "rds-storage-encrypted", title: "cluster encrypted with a CMK", violates: false, build: (g) => void g.add("aws:rds/cluster:Cluster", "db", { storageEncrypted: true, kmsKeyId: CMK }) },
    { policy: "rds-storage-encrypted", title: "cluster not encrypted", violates: true, expectMessage: "storageEncrypted", build: (g) => void g.add("aws:rds/cluster:Cluster", "db", { kmsKeyId: CMK }) },
    { policy: "rds-storage-encrypted", title: "instance encrypted with the default key only", violates: true, expectMessage: "kmsKeyId", build: (g) => void g.add("aws:rds/instance:Instance", "db", { storageEncrypted: true }) },
    // elasticache-encrypted
    {
        policy: "elasticache-encrypted",
        title: "replication group encrypted at rest and in transit",
        violates: false,
        build: (g) => void g.add("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { atRestEncryptionEnabled: true, transitEncryptionEnabled: true, kmsKeyId: CMK }),
    },
    {
        policy: "elasticache-encrypted",
        title: "no transit encryption",
        violates: true,
        expectMessage: "transitEncryptionEnabled",
        build: (g) => void g.add("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { atRestEncryptionEnabled: true }),
    },
    { policy: "elasticache-encrypted", title: "standalone redis cluster", violates: true, build: (g) => void g.add("aws:elasticache/cluster:Cluster", "cache", { engine: "redis", nodeType: "cache.t4g.micro" }) },
    // dynamodb-cmk-encryption
    { policy: "dynamodb-cmk-encryption", title: "table with SSE under a CMK", violates: false, build: (g) => void g.add("aws:dynamodb/table:Table", "t", { serverSideEncryption: { enabled: true, kmsKeyArn: CMK } }) },
    { policy: "dynamodb-cmk-encryption", title: "table with the AWS owned key", violates: true, build: (g) => void g.add("aws:dynamodb/table:Table", "t", {}) },
    // sqs-encrypted
    { policy: "sqs-encrypted", title: "queue with SQS managed SSE", violates: false, build: (g) => void g.add("aws:sqs/queue:Queue", "q", { sqsManagedSseEnabled: true }) },
    { policy: "sqs-encrypted", title: "queue with a CMK", violates: false, config: { "sqs-encrypted": { requireCustomerManagedKey: true } }, build: (g) => void g.add("aws:sqs/queue:Queue", "q", { kmsMasterKeyId: CMK }) },
    { policy: "sqs-encrypted", title: "unencrypted queue", violates: true, build: (g) => void g.add("aws:sqs/queue:Queue", "q", { sqsManagedSseEnabled: false }) },
    {
        policy: "sqs-encrypted",
        title: "config requireCustomerManagedKey rejects SQS managed SSE",
        violates: true,
        config: { "sqs-encrypted": { requireCustomerManagedKey: true } },
        expectMessage: "requireCustomerManagedKey",
        build: (g) => void g.add("aws:sqs/queue:Queue", "q", { sqsManagedSseEnabled: true }),
    },
    // sns-encrypted
    { policy: "sns-encrypted", title: "topic with a CMK", violates: false, build: (g) => void g.add("aws:sns/topic:Topic", "alarms", { kmsMasterKeyId: CMK }) },
    { policy: "sns-encrypted", title: "topic with alias/aws/sns", violates: true, build: (g) => void g.add("aws:sns/topic:Topic", "alarms", { kmsMasterKeyId: "alias/aws/sns" }) },
    // block-storage-encrypted
    { policy: "block-storage-encrypted", title: "encrypted EFS and EBS", violates: false, build: (g) => { g.add("aws:efs/fileSystem:FileSystem", "fs", { encrypted: true, kmsKeyId: CMK }); g.add("aws:ebs/volume:Volume", "vol", { encrypted: true, availabilityZone: "ap-northeast-1a", size: 10 }); } },
    { policy: "block-storage-encrypted", title: "unencrypted EFS", violates: true, build: (g) => void g.add("aws:efs/fileSystem:FileSystem", "fs", {}) },
    {
        policy: "block-storage-encrypted",
        title: "launch template with an unencrypted volume",
        violates: true,
        expectMessage: "ebs.encrypted",
        build: (g) => void g.add("aws:ec2/launchTemplate:LaunchTemplate", "lt", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 30 } }] }),
    },
    // log-group-kms
    { policy: "log-group-kms", title: "log group with a CMK", violates: false, build: (g) => void g.add("aws:cloudwatch/logGroup:LogGroup", "app", { kmsKeyId: CMK, retentionInDays: 30 }) },
    { policy: "log-group-kms", title: "log group without a key", violates: true, build: (g) => void g.add("aws:cloudwatch/logGroup:LogGroup", "app", { retentionInDays: 30 }) },
    // secret-cmk
    { policy: "secret-cmk", title: "secret with a CMK", violates: false, build: (g) => void g.add("aws:secretsmanager/secret:Secret", "db-credentials", { kmsKeyId: CMK }) },
    { policy: "secret-cmk", title: "secret with the default key", violates: true, build: (g) => void g.add("aws:secretsmanager/secret:Secret", "db-credentials", {}) },
    // kms-key-rotation
    { policy: "kms-key-rotation", title: "rotating symmetric key", violates: false, build: (g) => void g.add("aws:kms/key:Key", "data", { enableKeyRotation: true }) },
    { policy: "kms-key-rotation", title: "asymmetric signing key (cannot rotate)", violates: false, build: (g) => void g.add("aws:kms/key:Key", "sign", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }) },
    { policy: "kms-key-rotation", title: "symmetric key without rotation", violates: true, build: (g) => void g.add("aws:kms/key:Key", "data", {}) },
    // alb-listener-tls
    {
        policy: "alb-listener-tls",
        title: "HTTPS with TLS 1.3 policy and an HTTP redirect",
        violates: false,
        build: (g) => {
            g.add("aws:lb/listener:Listener", "https", { loadBalancerArn: "arn:lb", protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: "arn:cert", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] });
            g.add("aws:lb/listener:Listener", "http", { loadBalancerArn: "arn:lb", protocol: "HTTP", port: 80, defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] });
        },
    },
    {
        policy: "alb-listener-tls",
        title: "HTTP listener forwarding traffic",
        violates: true,
        expectMessage: "redirect to HTTPS",
        build: (g) => void g.add("aws:lb/listener:Listener", "http", { loadBalancerArn: "arn:lb", protocol: "HTTP", port: 80, defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }),
    },
    {
        policy: "alb-listener-tls",
        title: "HTTPS with a TLS 1.0 policy",
        violates: true,
        build: (g) => void g.add("aws:lb/listener:Listener", "https", { loadBalancerArn: "arn:lb", protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-2016-08", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }),
    },
    {
        policy: "alb-listener-tls",
        title: "config allowedSslPolicies narrows to TLS 1.3 only",
        violates: true,
        config: { "alb-listener-tls": { allowedSslPolicies: ["ELBSecurityPolicy-TLS13-1-3-2021-06"] } },
        build: (g) => void g.add("aws:lb/listener:Listener", "https", { loadBalancerArn: "arn:lb", protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", defaultActions: [{ type: "forward" }] }),
    },
    {
        policy: "alb-listener-tls",
        title: "plain HTTP listener listed in plainHttpExceptions with its reason",
        violates: false,
        config: { "alb-listener-tls": { plainHttpExceptions: { http: "origin-only listener behind CloudFront until a custom domain and certificate exist" } } },
        build: (g) => void g.add("aws:lb/listener:Listener", "http", { loadBalancerArn: "arn:lb", protocol: "HTTP", port: 80, defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "403" } }] }),
    },
    {
        policy: "alb-listener-tls",
        title: "an exception for another listener does not cover this one",
        violates: true,
        config: { "alb-listener-tls": { plainHttpExceptions: { "other-listener": "origin-only listener behind CloudFront until a custom domain and certificate exist" } } },
        build: (g) => void g.add("aws:lb/listener:Listener", "http", { loadBalancerArn: "arn:lb", protocol: "HTTP", port: 80, defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }),
    },
    // cloudfront-viewer-https / cloudfront-origin-https
    { policy: "cloudfront-viewer-https", title: "all behaviours redirect, TLSv1.2_2021", violates: false, build: (g) => void g.add("aws:cloudfront/distribution:Distribution", "cdn", distribution()) },
    {
        policy: "cloudfront-viewer-https",
        title: "an ordered behaviour allows HTTP",
        violates: true,
        expectMessage: "/api/*",
        build: (g) => void g.add("aws:cloudfront/distribution:Distribution", "cdn", distribution({ orderedCacheBehaviors: [{ pathPattern: "/api/*", viewerProtocolPolicy: "allow-all", targetOriginId: "alb" }] })),
    },
    {
        policy: "cloudfront-viewer-https",
        title: "custom certificate with TLSv1",
        violates: true,
        expectMessage: "minimumProtocolVersion",
        build: (g) => void g.add("aws:cloudfront/distribution:Distribution", "cdn", distribution({ viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x", minimumProtocolVersion: "TLSv1", sslSupportMethod: "sni-only" } })),
    },
    { policy: "cloudfront-origin-https", title: "ALB origin https-only TLSv1.2", violates: false, build: (g) => void g.add("aws:cloudfront/distribution:Distribution", "cdn", distribution()) },
    {
        policy: "cloudfront-origin-https",
        title: "ALB origin over http-only",
        violates: true,
        build: (g) =>
            void g.add(
                "aws:cloudfront/distribution:Distribution",
                "cdn",
                distribution({ origins: [{ originId: "alb", domainName: "alb.example.com", customOriginConfig: { originProtocolPolicy: "http-only", httpPort: 80, httpsPort: 443, originSslProtocols: ["TLSv1.2"] } }] }),
            ),
    },
    {
        policy: "cloudfront-origin-https",
        title: "http-only origin listed in plainHttpExceptions as <distribution>/<originId>",
        violates: false,
        config: { "cloudfront-origin-https": { plainHttpExceptions: { "cdn/alb": "origin-only listener behind CloudFront until a custom domain and certificate exist" } } },
        build: (g) =>
            void g.add(
                "aws:cloudfront/distribution:Distribution",
                "cdn",
                distribution({ origins: [{ originId: "alb", domainName: "alb.example.com", customOriginConfig: { originProtocolPolicy: "http-only", httpPort: 80, httpsPort: 443, originSslProtocols: ["TLSv1.2"] } }] }),
            ),
    },
    {
        policy: "cloudfront-origin-https",
        title: "an exception for another origin id does not cover this one",
        violates: true,
        config: { "cloudfront-origin-https": { plainHttpExceptions: { "cdn/api": "origin-only listener behind CloudFront until a custom domain and certificate exist" } } },
        build: (g) =>
            void g.add(
                "aws:cloudfront/distribution:Distribution",
                "cdn",
                distribution({ origins: [{ originId: "alb", domainName: "alb.example.com", customOriginConfig: { originProtocolPolicy: "http-only", httpPort: 80, httpsPort: 443, originSslProtocols: ["TLSv1.2"] } }] }),
            ),
    },
];

export function distribution(overrides: Record<string, any> = {}): Record<string, any> {
    return {
        enabled: true,
        webAclId: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/abc",
        loggingConfig: { bucket: "logs-bkt.s3.amazonaws.com", prefix: "cloudfront/" },
        origins: [
            { originId: "alb", domainName: "alb.example.com", customOriginConfig: { originProtocolPolicy: "https-only", httpPort: 80, httpsPort: 443, originSslProtocols: ["TLSv1.2"] } },
            { originId: "static", domainName: "static-bkt.s3.ap-northeast-1.amazonaws.com", originAccessControlId: "oac-1" },
        ],
        defaultCacheBehavior: { targetOriginId: "static", viewerProtocolPolicy: "redirect-to-https", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"] },
        orderedCacheBehaviors: [{ pathPattern: "/api/*", targetOriginId: "alb", viewerProtocolPolicy: "https-only" }],
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x", minimumProtocolVersion: "TLSv1.2_2021", sslSupportMethod: "sni-only" },
        ...overrides,
    };
}

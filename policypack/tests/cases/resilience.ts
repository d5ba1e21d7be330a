import { DEFAULT_TAGS, Graph, PolicyCase } from "../harness";
import { auroraCluster, bucket } from "./common";
import { distribution } from "./encryption";

export const PROD_TAGS = { ...DEFAULT_TAGS, Environment: "prod" };

function internetAlb(g: Graph, cidrs = ["0.0.0.0/0"]) {
    const sg = g.add("aws:ec2/securityGroup:SecurityGroup", "alb-sg", { vpcId: "v", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: cidrs }] });
    return g.add("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", internal: false, securityGroups: [sg.state.id] }, { state: { dnsName: "alb-123.ap-northeast-1.elb.amazonaws.com" } });
}

export const resilienceCases: PolicyCase[] = [
    // aurora-backup-retention
    { policy: "aurora-backup-retention", title: "prod cluster keeps 7 days", violates: false, defaultTags: PROD_TAGS, build: (g) => void auroraCluster(g) },
    { policy: "aurora-backup-retention", title: "prod cluster keeps 1 day", violates: true, defaultTags: PROD_TAGS, build: (g) => void auroraCluster(g, "db", { backupRetentionPeriod: 1 }) },
    { policy: "aurora-backup-retention", title: "dev cluster with 1 day is fine", violates: false, build: (g) => void auroraCluster(g, "db", { backupRetentionPeriod: 1 }) },
    {
        policy: "aurora-backup-retention",
        title: "environment from config overrides the tag",
        violates: true,
        config: { "aurora-backup-retention": { environment: "prod", minimumRetentionDays: 14 } },
        build: (g) => void auroraCluster(g, "db", { backupRetentionPeriod: 7 }),
    },
    // rds-deletion-protection
    { policy: "rds-deletion-protection", title: "prod with deletion protection", violates: false, defaultTags: PROD_TAGS, build: (g) => void auroraCluster(g) },
    { policy: "rds-deletion-protection", title: "prod without deletion protection", violates: true, defaultTags: PROD_TAGS, build: (g) => void auroraCluster(g, "db", { deletionProtection: false }) },
    // aurora-multi-az
    { policy: "aurora-multi-az", title: "prod cluster with 2 instances", violates: false, defaultTags: PROD_TAGS, build: (g) => void auroraCluster(g) },
    { policy: "aurora-multi-az", title: "prod cluster with 1 instance", violates: true, defaultTags: PROD_TAGS, expectMessage: "1 instance", build: (g) => void auroraCluster(g, "db", {}, 1) },
    { policy: "aurora-multi-az", title: "dev cluster with 1 instance", violates: false, build: (g) => void auroraCluster(g, "db", {}, 1) },
    // elasticache-multi-az
    {
        policy: "elasticache-multi-az",
        title: "prod group with a replica and failover",
        violates: false,
        defaultTags: PROD_TAGS,
        build: (g) => void g.add("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true }),
    },
    { policy: "elasticache-multi-az", title: "prod single node", violates: true, defaultTags: PROD_TAGS, build: (g) => void g.add("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { numCacheClusters: 1 }) },
    // dynamodb-pitr
    { policy: "dynamodb-pitr", title: "PITR on", violates: false, build: (g) => void g.add("aws:dynamodb/table:Table", "t", { pointInTimeRecovery: { enabled: true } }) },
    { policy: "dynamodb-pitr", title: "PITR off", violates: true, build: (g) => void g.add("aws:dynamodb/table:Table", "t", {}) },
    { policy: "dynamodb-pitr", title: "disabled by config", violates: false, config: { "dynamodb-pitr": "disabled" }, build: (g) => void g.add("aws:dynamodb/table:Table", "t", {}) },
    // s3-versioning
    { policy: "s3-versioning", title: "versioning Enabled", violates: false, build: (g) => void bucket(g, "b") },
    { policy: "s3-versioning", title: "no versioning resource", violates: true, build: (g) => void bucket(g, "b", { versioning: false }) },
    { policy: "s3-versioning", title: "versioning Suspended", violates: true, build: (g) => void bucket(g, "b", { versioning: "Suspended" }) },
    // ecs-circuit-breaker
    { policy: "ecs-circuit-breaker", title: "breaker with rollback", violates: false, build: (g) => void g.add("aws:ecs/service:Service", "web", { deploymentCircuitBreaker: { enable: true, rollback: true } }) },
    { policy: "ecs-circuit-breaker", title: "breaker without rollback", violates: true, build: (g) => void g.add("aws:ecs/service:Service", "web", { deploymentCircuitBreaker: { enable: true, rollback: false } }) },
    // waf-public-entry-points
    {
        policy: "waf-public-entry-points",
        title: "distribution with web ACL, ALB with association",
        violates: false,
        build: (g) => {
            g.add("aws:cloudfront/distribution:Distribution", "cdn", distribution());
            const alb = internetAlb(g);
            g.add("aws:wafv2/webAclAssociation:WebAclAssociation", "alb-waf", { resourceArn: alb.state.arn, webAclArn: "arn:waf" });
        },
    },
    { policy: "waf-public-entry-points", title: "distribution without web ACL", violates: true, build: (g) => void g.add("aws:cloudfront/distribution:Distribution", "cdn", distribution({ webAclId: undefined })) },
    { policy: "waf-public-entry-points", title: "internet-facing ALB open to the world, no WAF", violates: true, expectMessage: "ALB 'alb'", build: (g) => void internetAlb(g) },
    {
        policy: "waf-public-entry-points",
        title: "ALB reachable only through CloudFront (origin + prefix-list-only SG)",
        violates: false,
        build: (g) => {
            const alb = internetAlb(g, []);
            g.add(
                "aws:cloudfront/distribution:Distribution",
                "cdn",
                distribution({ origins: [{ originId: "alb", domainName: alb.state.dnsName, customOriginConfig: { originProtocolPolicy: "https-only", httpPort: 80, httpsPort: 443, originSslProtocols: ["TLSv1.2"] } }] }),
            );
        },
    },
    {
        policy: "waf-public-entry-points",
        title: "REST API stage without WAF",
        violates: true,
        build: (g) => {
            const api = g.add("aws:apigateway/restApi:RestApi", "api", { endpointConfiguration: { types: "REGIONAL" } });
            g.add("aws:apigateway/stage:Stage", "v1", { restApi: api.state.id, stageName: "v1", deployment: "d" });
        },
    },
    {
        policy: "waf-public-entry-points",
        title: "private REST API",
        violates: false,
        build: (g) => {
            const api = g.add("aws:apigateway/restApi:RestApi", "api", { endpointConfiguration: { types: "PRIVATE" } });
            g.add("aws:apigateway/stage:Stage", "v1", { restApi: api.state.id, stageName: "v1", deployment: "d" });
        },
    },
];

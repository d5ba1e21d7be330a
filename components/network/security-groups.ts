/**
 * The security-group matrix of seed 001 as data. The network component turns each rule into one
 * `aws.vpc.SecurityGroupIngressRule` / `EgressRule`; tests and reviewers read this table.
 *
 * Groups have no inline rules, so a rule change never replaces a group, and every group starts
 * with no egress (AWS's default allow-all egress is not recreated).
 */

export type SecurityGroupRole = "alb" | "ecs" | "lambda" | "rds" | "cache" | "endpoints";
export const SECURITY_GROUP_ROLES: readonly SecurityGroupRole[] = ["alb", "ecs", "lambda", "rds", "cache", "endpoints"];

export const SECURITY_GROUP_DESCRIPTIONS: Readonly<Record<SecurityGroupRole, string>> = {
    alb: "Application Load Balancer: HTTPS and HTTP redirect from the internet",
    ecs: "ECS Fargate tasks: traffic from the ALB only",
    lambda: "Lambda functions in the VPC: no inbound traffic",
    rds: "Aurora PostgreSQL: from ECS and Lambda only",
    cache: "ElastiCache Redis: from ECS only",
    endpoints: "VPC interface endpoints: HTTPS from workloads",
};

export interface SecurityGroupRule {
    group: SecurityGroupRole;
    direction: "ingress" | "egress";
    port: number;
    /** Another group of the matrix, an IPv4 CIDR, or a managed prefix list (by its AWS name). */
    peer: { group: SecurityGroupRole } | { cidr: string } | { prefixList: string };
    description: string;
}

export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;
export const HTTPS_PORT = 443;
export const HTTP_PORT = 80;
export const ANYWHERE = "0.0.0.0/0";
/** CloudFront's origin-facing addresses, as an AWS-managed prefix list (one per region, same name). */
export const CLOUDFRONT_ORIGIN_FACING = "com.amazonaws.global.cloudfront.origin-facing";

/**
 * Where the ALB accepts traffic from: `cloudfront` (default) admits only CloudFront's
 * origin-facing addresses, so the ALB cannot be reached around the CDN and its WAF;
 * `internet` is seed 001's literal 0.0.0.0/0 (for an ALB without CloudFront in front).
 */
export type AlbIngress = "cloudfront" | "internet";

/**
 * Seed 001 "Security Group設計", rule for rule and description for description, with the app port
 * (8080 in the seed) as a parameter. The endpoints group is the platform's addition for the
 * optional interface endpoints: HTTPS from the two workload groups.
 */
export function securityGroupRules(appPort: number, albIngress: AlbIngress = "cloudfront"): SecurityGroupRule[] {
    const albRules: SecurityGroupRule[] =
        albIngress === "internet"
            ? [
                  { group: "alb", direction: "ingress", port: HTTPS_PORT, peer: { cidr: ANYWHERE }, description: "HTTPS from Internet" },
                  { group: "alb", direction: "ingress", port: HTTP_PORT, peer: { cidr: ANYWHERE }, description: "HTTP redirect to HTTPS" },
              ]
            : [
                  { group: "alb", direction: "ingress", port: HTTPS_PORT, peer: { prefixList: CLOUDFRONT_ORIGIN_FACING }, description: "HTTPS from CloudFront origin-facing addresses" },
                  { group: "alb", direction: "ingress", port: HTTP_PORT, peer: { prefixList: CLOUDFRONT_ORIGIN_FACING }, description: "HTTP from CloudFront origin-facing addresses" },
              ];
    return [
        ...albRules,
        { group: "alb", direction: "egress", port: appPort, peer: { group: "ecs" }, description: "To ECS tasks" },

        { group: "ecs", direction: "ingress", port: appPort, peer: { group: "alb" }, description: "From ALB" },
        { group: "ecs", direction: "egress", port: POSTGRES_PORT, peer: { group: "rds" }, description: "To RDS" },
        { group: "ecs", direction: "egress", port: REDIS_PORT, peer: { group: "cache" }, description: "To ElastiCache" },
        { group: "ecs", direction: "egress", port: HTTPS_PORT, peer: { cidr: ANYWHERE }, description: "To AWS APIs" },

        { group: "lambda", direction: "egress", port: POSTGRES_PORT, peer: { group: "rds" }, description: "To RDS" },
        { group: "lambda", direction: "egress", port: HTTPS_PORT, peer: { cidr: ANYWHERE }, description: "To AWS APIs" },

        { group: "rds", direction: "ingress", port: POSTGRES_PORT, peer: { group: "ecs" }, description: "From ECS" },
        { group: "rds", direction: "ingress", port: POSTGRES_PORT, peer: { group: "lambda" }, description: "From Lambda" },

        { group: "cache", direction: "ingress", port: REDIS_PORT, peer: { group: "ecs" }, description: "From ECS" },

        { group: "endpoints", direction: "ingress", port: HTTPS_PORT, peer: { group: "ecs" }, description: "HTTPS from ECS tasks" },
        { group: "endpoints", direction: "ingress", port: HTTPS_PORT, peer: { group: "lambda" }, description: "HTTPS from Lambda" },
    ];
}

/** Stable logical-name suffix of a rule, e.g. `alb-in-443-anywhere`, `rds-in-5432-ecs`. */
export function ruleName(rule: SecurityGroupRule): string {
    const peer =
        "group" in rule.peer
            ? rule.peer.group
            : "prefixList" in rule.peer
              ? rule.peer.prefixList === CLOUDFRONT_ORIGIN_FACING
                  ? "cloudfront"
                  : rule.peer.prefixList.replace(/[^a-z0-9]+/gi, "-")
              : rule.peer.cidr === ANYWHERE
                ? "anywhere"
                : rule.peer.cidr.replace(/[./]/g, "-");
    return `${rule.group}-${rule.direction === "ingress" ? "in" : "out"}-${rule.port}-${peer}`;
}

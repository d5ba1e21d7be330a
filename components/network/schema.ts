/**
 * Stack configuration of the network tier (`platform:network`), validated by components/config.ts.
 * Defaults are production-safe; dev and staging switch off what they do not need in their stack files.
 */
import { z } from "zod";
import { carveSubnets, checkSubnetLayout, requiredVpcPrefix, SUBNET_TIERS, mustParseCidr } from "./cidr";
import { cidrString, logRetentionDays, Report } from "../validation";
import type { StackConfig } from "../config";

/** Interface endpoints the platform knows how to create (service suffix of com.amazonaws.<region>.<suffix>). */
export const INTERFACE_ENDPOINT_SERVICES = ["secretsmanager", "ecr.api", "ecr.dkr", "logs", "sts", "kms", "ssm", "ssmmessages", "sqs", "sns"] as const;

export const schema = z
    .object({
        /** VPC CIDR. @default 10.0.0.0/16 (seed 001) */
        cidr: cidrString.default("10.0.0.0/16"),
        /** Availability zones, 2 or 3, in the stack's region (seed 001 uses AZ-a and AZ-c). */
        azs: z.array(z.string().min(1)).min(2, "expected 2-3 availability zones").max(3, "expected 2-3 availability zones"),
        /**
         * Explicit subnet CIDRs per tier, one per AZ in `azs` order. When omitted they are carved from
         * `cidr` with the seed 001 plan (public x.x.0-2.0/24, private x.x.10-12.0/24, data x.x.20-22.0/24).
         */
        subnets: z
            .object({
                public: z.array(cidrString),
                private: z.array(cidrString),
                data: z.array(cidrString),
            })
            .strict()
            .optional(),
        /** `onePerAz` keeps egress up when an AZ fails; `single` saves ~$45/month per NAT (seed 002). @default onePerAz */
        natStrategy: z.enum(["single", "onePerAz"]).default("onePerAz"),
        /** Interface endpoints so private traffic to AWS APIs skips the NAT. @default the four of seed 001 */
        interfaceEndpoints: z
            .object({
                enabled: z.boolean().default(true),
                services: z.array(z.enum(INTERFACE_ENDPOINT_SERVICES)).default(["secretsmanager", "ecr.api", "ecr.dkr", "logs"]),
            })
            .strict()
            .default({ enabled: true, services: ["secretsmanager", "ecr.api", "ecr.dkr", "logs"] }),
        /** VPC flow logs to a KMS-encrypted log group (seed 001: prod 30 days, staging 7, dev none). */
        flowLogs: z
            .object({
                enabled: z.boolean().default(true),
                retentionDays: logRetentionDays.default(30),
                trafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL"),
            })
            .strict()
            .default({ enabled: true, retentionDays: 30, trafficType: "ALL" }),
        /**
         * Who may reach the ALB: `cloudfront` admits only CloudFront's origin-facing prefix list (the
         * ALB then cannot be reached around the CDN and its WAF); `internet` is seed 001's 0.0.0.0/0 on
         * 80/443, for an ALB served without CloudFront. @default cloudfront
         */
        albIngress: z.enum(["cloudfront", "internet"]).default("cloudfront"),
        /** Port the application containers listen on (ALB -> ECS rules of the security-group matrix). @default 8080 */
        appPort: z.number().int().min(1).max(65535).default(8080),
    })
    .strict();

export type NetworkConfig = z.infer<typeof schema>;

/** The subnet CIDRs the network will use: explicit ones, or the carved seed plan. */
export function subnetPlan(network: {
    readonly cidr: string;
    readonly azs: readonly string[];
    readonly subnets?: { readonly [K in "public" | "private" | "data"]: readonly string[] };
}): Readonly<Record<"public" | "private" | "data", readonly string[]>> {
    return network.subnets ?? carveSubnets(network.cidr, network.azs.length);
}

export function crossCheck(cfg: StackConfig, report: Report): void {
    const net = cfg.network;
    net.azs.forEach((az, i) => {
        if (!az.startsWith(cfg.region) || !/^[a-z]$/.test(az.slice(cfg.region.length))) {
            report(
                `network.azs[${i}]`,
                `expected a zone of ${cfg.region} such as ${cfg.region}a, got ${JSON.stringify(az)}`,
                `pulumi config set --path 'network.azs[${i}]' <a zone of ${cfg.region}> --stack ${cfg.stack} (list them: aws ec2 describe-availability-zones --region ${cfg.region})`,
            );
        }
    });
    if (new Set(net.azs).size !== net.azs.length) {
        report("network.azs", `zones must be distinct, got ${net.azs.join(", ")}`);
    }
    if (net.subnets) {
        for (const tier of SUBNET_TIERS) {
            if (net.subnets[tier].length !== net.azs.length) {
                report(`network.subnets.${tier}`, `expected one CIDR per AZ (${net.azs.length}), got ${net.subnets[tier].length}`);
            }
        }
        const labelled = SUBNET_TIERS.flatMap((tier) => net.subnets![tier].map((cidr, i) => ({ label: `network.subnets.${tier}[${i}]`, cidr })));
        for (const problem of checkSubnetLayout(net.cidr, labelled)) {
            const [path, ...rest] = problem.split(": ");
            report(path, rest.join(": "));
        }
    } else if (mustParseCidr(net.cidr).prefix > requiredVpcPrefix(net.azs.length)) {
        report(
            "network.cidr",
            `${net.cidr} is too small for the default subnet plan of ${net.azs.length} AZs; expected /${requiredVpcPrefix(net.azs.length)} or larger`,
            `pulumi config set --path 'network.cidr' 10.0.0.0/16 --stack ${cfg.stack}, or list network.subnets explicitly`,
        );
    }
    if (cfg.environment === "prod" && !net.flowLogs.enabled) {
        report("network.flowLogs.enabled", "prod must keep VPC flow logs (seed 001: 30 days)", `pulumi config set --path 'network.flowLogs.enabled' true --stack ${cfg.stack}`);
    }
}

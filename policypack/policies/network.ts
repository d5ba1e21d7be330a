/**
 * Network exposure (seed 001 security-group matrix and AC-SEC-4, 000 INFRA-012).
 * Mandatory: an open port or a public database is the most common path to a breach.
 */
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { configOf, forTypes, identities, ofTypes, plain, refersTo, safe } from "./util";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const LB_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const VPC = "aws:ec2/vpc:Vpc";

const WORLD = new Set(["0.0.0.0/0", "::/0"]);

interface IngressRule {
    source: PolicyResource;
    label: string;
    protocol: string;
    fromPort: number;
    toPort: number;
    cidrs: string[];
    /** The security group the rule opens; undefined when it is not in this stack. */
    group?: PolicyResource;
}

function strings(v: unknown): string[] {
    if (v === undefined || v === null) return [];
    return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
}

/** Every ingress rule of the stack, in the three shapes AWS resources can express them. */
export function ingressRules(resources: PolicyResource[]): IngressRule[] {
    const groups = ofTypes(resources, [SG]);
    const out: IngressRule[] = [];
    for (const g of groups) {
        const ingress = (safe(() => plain(g.props["ingress"])) as any[] | undefined) ?? [];
        ingress.forEach((r, i) =>
            out.push({
                source: g,
                label: `${g.name} ingress[${i}]`,
                protocol: String(r?.protocol ?? ""),
                fromPort: Number(r?.fromPort ?? 0),
                toPort: Number(r?.toPort ?? 0),
                cidrs: [...strings(r?.cidrBlocks), ...strings(r?.ipv6CidrBlocks)],
                group: g,
            }),
        );
    }
    for (const r of ofTypes(resources, [INGRESS_RULE])) {
        const p = plain(r.props) as any;
        out.push({
            source: r,
            label: r.name,
            protocol: String(p.ipProtocol ?? ""),
            fromPort: Number(p.fromPort ?? 0),
            toPort: Number(p.toPort ?? 0),
            cidrs: [...strings(p.cidrIpv4), ...strings(p.cidrIpv6)],
            group: groups.find((g) => refersTo(r, "securityGroupId", g, ["id"])),
        });
    }
    for (const r of ofTypes(resources, [SG_RULE])) {
        const p = plain(r.props) as any;
        if (p.type !== "ingress") continue;
        out.push({
            source: r,
            label: r.name,
            protocol: String(p.protocol ?? ""),
            fromPort: Number(p.fromPort ?? 0),
            toPort: Number(p.toPort ?? 0),
            cidrs: [...strings(p.cidrBlocks), ...strings(p.ipv6CidrBlocks)],
            group: groups.find((g) => refersTo(r, "securityGroupId", g, ["id"])),
        });
    }
    return out;
}

/** Security groups attached to a load balancer in the stack. */
export function loadBalancerGroups(resources: PolicyResource[]): Set<string> {
    const lbs = ofTypes(resources, LB_TYPES);
    const urns = new Set<string>();
    for (const g of ofTypes(resources, [SG])) {
        if (lbs.some((lb) => refersTo(lb, "securityGroups", g, ["id"]))) urns.add(g.urn);
    }
    return urns;
}

function containsString(v: unknown, wanted: string, depth = 0): boolean {
    if (depth > 8) return false;
    if (typeof v === "string") return v === wanted;
    if (Array.isArray(v)) return v.some((x) => containsString(x, wanted, depth + 1));
    if (v !== null && typeof v === "object") return Object.values(v).some((x) => containsString(x, wanted, depth + 1));
    return false;
}

const RULE_TYPES = new Set([INGRESS_RULE, SG_RULE, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"]);

/**
 * Resources other than load balancers and security-group rules that use the group (ECS services,
 * Lambda VPC configs, databases, caches, instances, endpoints...): by property dependency (works
 * while the id is unknown) or by a property value equal to the group id.
 */
export function nonLoadBalancerUsers(group: PolicyResource, resources: PolicyResource[]): PolicyResource[] {
    const id = safe(() => group.props["id"]);
    return resources.filter((r) => {
        if (r.urn === group.urn || RULE_TYPES.has(r.type) || LB_TYPES.includes(r.type) || r.type === SG || !r.type.startsWith("aws:")) return false;
        if (Object.values(r.propertyDependencies).some((deps) => deps.some((d) => d.urn === group.urn))) return true;
        return typeof id === "string" && containsString(plain(r.props), id);
    });
}

export const networkNoPublicIngress: StackValidationPolicy = {
    name: "network-no-public-ingress",
    description:
        "No security group may accept 0.0.0.0/0 or ::/0 except on TCP 80/443 (AC-SEC-4), and those only on groups used by load " +
        "balancers (or not attached yet): databases, caches, tasks, functions and SSH must be reachable only from named security groups.",
    remediationSteps:
        "Replace the CIDR with a source security group (referencedSecurityGroupId / sourceSecurityGroupId) or a prefix list " +
        "(the CloudFront origin-facing list for an ALB behind CloudFront); use SSM Session Manager instead of SSH.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: {
        properties: {
            allowedPorts: {
                type: "array",
                items: { type: "integer" },
                default: [80, 443],
                description: "TCP ports that may be open to the internet on load-balancer security groups.",
            },
        },
    },
    validateStack: (args, report) => {
        const { allowedPorts } = configOf(args, { allowedPorts: [80, 443] });
        for (const r of ingressRules(args.resources)) {
            const open = r.cidrs.filter((c) => WORLD.has(c));
            if (open.length === 0) continue;
            const tcp = r.protocol === "tcp" || r.protocol === "6";
            const portOk = tcp && r.fromPort === r.toPort && allowedPorts.includes(r.fromPort);
            if (!portOk) {
                report(`${r.label} opens ${open.join(", ")} on ${r.protocol}/${r.fromPort}-${r.toPort}, not one of the allowed ports ${allowedPorts.join(", ")}.`, r.source.urn);
                continue;
            }
            if (!r.group) {
                report(`${r.label} opens ${open.join(", ")} on a security group that is not in this stack, so its attachment cannot be checked.`, r.source.urn);
                continue;
            }
            // Allowed ports: fine on a load balancer's group, and on a group nothing uses yet;
            // not on a group that also fronts tasks, functions, databases or instances.
            const users = nonLoadBalancerUsers(r.group, args.resources);
            // A group nothing uses yet is re-checked by this policy once something is attached to it.
            if (users.length > 0) {
                report(`${r.label} opens ${open.join(", ")} on a group used by ${users.map((u) => `${u.type} '${u.name}'`).join(", ")}, which is not a load balancer.`, r.source.urn);
            }
        }
    },
};

export const rdsNotPublic: ResourceValidationPolicy = {
    name: "rds-not-public",
    description: "Databases must not be publicly accessible: an RDS/Aurora endpoint with a public IP is one password away from the internet.",
    remediationSteps: "Set publiclyAccessible: false and place the DB subnet group in private (isolated) subnets.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateResource: forTypes(["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"], (args, report) => {
        if (safe(() => args.props["publiclyAccessible"]) === true) report("publiclyAccessible must be false.");
    }),
};

/** Subnets that are public: map a public IP on launch, or route 0.0.0.0/0 to an internet gateway. */
export function publicSubnets(resources: PolicyResource[]): Set<string> {
    const igws = ofTypes(resources, ["aws:ec2/internetGateway:InternetGateway"]);
    const tables = ofTypes(resources, ["aws:ec2/routeTable:RouteTable"]);
    const routes = ofTypes(resources, ["aws:ec2/route:Route"]);
    const isIgwRoute = (holder: PolicyResource, prop: string, value: unknown) =>
        (typeof value === "string" && value.startsWith("igw-")) || igws.some((g) => refersTo(holder, prop, g, ["id"]));
    const publicTables = new Set<string>();
    for (const t of tables) {
        const inline = (safe(() => plain(t.props["routes"])) as any[] | undefined) ?? [];
        const known = inline.some((r) => typeof r?.gatewayId === "string" && (r.gatewayId.startsWith("igw-") || igws.some((g) => identities(g, ["id"]).has(r.gatewayId))));
        // Inline routes to a gateway created in the same update: the gatewayId is unknown at preview,
        // but the engine records that `routes` came from the internet gateway.
        const byDependency = igws.some((g) => (t.propertyDependencies["routes"] ?? []).some((d) => d.urn === g.urn));
        if (known || byDependency) publicTables.add(t.urn);
    }
    for (const r of routes) {
        if (isIgwRoute(r, "gatewayId", safe(() => r.props["gatewayId"]))) {
            for (const t of tables) if (refersTo(r, "routeTableId", t, ["id"])) publicTables.add(t.urn);
        }
    }
    const out = new Set<string>();
    const assocs = ofTypes(resources, ["aws:ec2/routeTableAssociation:RouteTableAssociation"]);
    for (const s of ofTypes(resources, ["aws:ec2/subnet:Subnet"])) {
        if (safe(() => s.props["mapPublicIpOnLaunch"]) === true) {
            out.add(s.urn);
            continue;
        }
        for (const a of assocs) {
            if (!refersTo(a, "subnetId", s, ["id"])) continue;
            if (tables.some((t) => publicTables.has(t.urn) && refersTo(a, "routeTableId", t, ["id"]))) out.add(s.urn);
        }
    }
    return out;
}

export const dataInPrivateSubnets: StackValidationPolicy = {
    name: "data-in-private-subnets",
    description:
        "Databases and caches (RDS/ElastiCache subnet groups, serverless caches) must live only in private subnets: a subnet " +
        "with a route to an internet gateway or public IPs on launch is one security-group mistake from exposure.",
    remediationSteps: "Build the subnet group from the isolated/private subnet ids of the Network component only.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateStack: (args, report) => {
        const pub = publicSubnets(args.resources);
        const subnets = ofTypes(args.resources, ["aws:ec2/subnet:Subnet"]).filter((s) => pub.has(s.urn));
        const holders = ofTypes(args.resources, [
            "aws:rds/subnetGroup:SubnetGroup",
            "aws:elasticache/subnetGroup:SubnetGroup",
            "aws:elasticache/serverlessCache:ServerlessCache",
        ]);
        for (const h of holders) {
            const bad = subnets.filter((s) => refersTo(h, "subnetIds", s, ["id"]));
            if (bad.length > 0) report(`${h.type.split(":").pop()} '${h.name}' uses public subnets: ${bad.map((s) => s.name).join(", ")}.`, h.urn);
        }
    },
};

export const ecsNoPublicIp: ResourceValidationPolicy = {
    name: "ecs-no-public-ip",
    description: "ECS services must not assign public IPs to tasks: tasks sit in private subnets behind the ALB and reach AWS through NAT/VPC endpoints.",
    remediationSteps: "Set networkConfiguration.assignPublicIp: false and use private subnets.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: forTypes(["aws:ecs/service:Service"], (args, report) => {
        if (safe(() => args.props["networkConfiguration"]?.assignPublicIp) === true) report("networkConfiguration.assignPublicIp must be false.");
    }),
};

export const vpcFlowLogs: StackValidationPolicy = {
    name: "vpc-flow-logs",
    description: "Every VPC must have a flow log (aws.ec2.FlowLog with vpcId): without it there is no record of who talked to what during an incident.",
    remediationSteps: "Add an aws.ec2.FlowLog { vpcId, trafficType: \"ALL\", logDestinationType: \"cloud-watch-logs\", logDestination, iamRoleArn }.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateStack: (args, report) => {
        const logs = ofTypes(args.resources, ["aws:ec2/flowLog:FlowLog"]);
        for (const v of ofTypes(args.resources, [VPC])) {
            if (!logs.some((l) => refersTo(l, "vpcId", v, ["id"]))) report(`VPC '${v.name}' has no flow log.`, v.urn);
        }
    },
};

export const defaultSecurityGroupClosed: StackValidationPolicy = {
    name: "default-sg-closed",
    description:
        "Every VPC's default security group must be adopted and emptied (aws.ec2.DefaultSecurityGroup with no ingress/egress; " +
        "CIS AWS 5.4): anything launched without a group otherwise gets the default allow-within-group rules.",
    remediationSteps: "Add an aws.ec2.DefaultSecurityGroup { vpcId } with no ingress and no egress rules.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateStack: (args, report) => {
        const defaults = ofTypes(args.resources, ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"]);
        for (const d of defaults) {
            const ingress = (safe(() => plain(d.props["ingress"])) as unknown[] | undefined) ?? [];
            const egress = (safe(() => plain(d.props["egress"])) as unknown[] | undefined) ?? [];
            if (ingress.length > 0 || egress.length > 0) report(`Default security group '${d.name}' has ${ingress.length} ingress and ${egress.length} egress rules.`, d.urn);
        }
        for (const v of ofTypes(args.resources, [VPC])) {
            if (!defaults.some((d) => refersTo(d, "vpcId", v, ["id"]))) report(`VPC '${v.name}' does not adopt and close its default security group.`, v.urn);
        }
    },
};

export const networkPolicies = [networkNoPublicIngress, rdsNotPublic, dataInPrivateSubnets, ecsNoPublicIp, vpcFlowLogs, defaultSecurityGroupClosed];

/**
 * Offline monthly cost estimate of a stack from its mocked resource graph (the same StackRun the
 * offline preview uses): a formula per resource type that costs money, an explicit free list,
 * and "not priced" for everything else, so nothing is silently zero.
 *
 * Pure: no I/O, no Pulumi runtime. `estimateCost(run)` -> `CostReport`; see format.ts for text.
 */
import type { RecordedResource, StackRun } from "../tools/offline/types";
import { assumptionsFromConfig, type CostAssumptions, type CostAssumptionsInput, type DeepPartial } from "./assumptions";
import { freeReason } from "./free";
import {
    AURORA_IO_OPTIMIZED_INSTANCE_FACTOR,
    PRICE_TABLE,
    VALKEY_NODE_FACTOR,
    type Price,
    type PriceTable,
    type RegionPrices,
} from "./prices";
import { runsPerMonth, scheduledTaskHours, type ScheduledCapacity } from "./schedule";

export const DEFAULT_REGION = "ap-northeast-1";

/** Costs the model does not estimate at all (listed in every report so nobody reads the total as complete). */
export const NOT_MODELLED: readonly string[] = Object.freeze([
    "data transfer: internet egress outside CloudFront, cross-AZ traffic, cross-region replication (Aurora global, S3 CRR, backup copies)",
    "support plan, taxes, credits, Savings Plans and Reserved Instances",
    "account-level free tiers other than the ones applied (see the price table notes)",
]);

/** One priced quantity of a resource: quantity (in the price's unit) x unit price. */
export interface CostItem {
    description: string;
    quantity: number;
    unit: string;
    unitUsd: number;
    monthlyUsd: number;
    priceSource: string;
}

/** A priced resource (or a stack-level usage line when `urn` is empty). */
export interface CostLine {
    urn: string;
    name: string;
    type: string;
    /** Top-level `platform:*` component label, `(stack usage)` or `(no component)`. */
    component: string;
    region: string;
    monthlyUsd: number;
    /** Monthly cost at the floor of what scales (Aurora Serverless v2 at min ACU); same as monthlyUsd elsewhere. */
    atMinimumUsd: number;
    items: CostItem[];
    notes: string[];
}

export interface NotPricedResource {
    urn: string;
    name: string;
    type: string;
    component: string;
    region: string;
    reason: string;
}

export interface BudgetInfo {
    name: string;
    limitUsd: number;
    timeUnit: string;
    budgetType: string;
}

export interface BudgetComparison {
    /** Where the limit came from. */
    source: "aws:budgets/budget:Budget" | "config:platform:monitoring.budget.monthlyUsd" | "none";
    /** Budget resource name, when from the graph. */
    name?: string;
    limitUsd?: number;
    estimateUsd: number;
    /** limit - estimate (negative when over). */
    headroomUsd?: number;
    percentOfBudget?: number;
    status: "under" | "over" | "no-budget";
    /** Every monthly cost budget in the graph. */
    budgets: BudgetInfo[];
}

export interface CostGroup {
    key: string;
    monthlyUsd: number;
    atMinimumUsd: number;
    resources: number;
}

export interface CostReport {
    project: string;
    stack: string;
    currency: "USD";
    mainRegion: string;
    priceTable: { version: string; asOf: string; sourceNotes: readonly string[] };
    totalMonthlyUsd: number;
    totalAtMinimumUsd: number;
    byComponent: CostGroup[];
    byType: CostGroup[];
    lines: CostLine[];
    notPriced: NotPricedResource[];
    free: { type: string; count: number; reason: string }[];
    assumptions: CostAssumptions;
    budget: BudgetComparison;
    warnings: string[];
    /** What no formula covers (see NOT_MODELLED). */
    notModelled: readonly string[];
}

export interface EstimateOptions {
    priceTable?: PriceTable;
}

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

const round2 = (n: number) => Math.round(n * 100) / 100;

function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
}

function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

function arr(v: unknown): any[] {
    return Array.isArray(v) ? v : [];
}

function item(description: string, quantity: number, price: Price, multiplier = 1): CostItem {
    const unitUsd = price.usd * multiplier;
    return { description, quantity, unit: price.unit, unitUsd, monthlyUsd: quantity * unitUsd, priceSource: price.source };
}

/** Value of an input, falling back to the mocked state. */
function val(r: RecordedResource, key: string): any {
    return r.inputs?.[key] ?? r.state?.[key];
}

type FormulaResult = { items: CostItem[]; notes?: string[]; atMinimumUsd?: number } | { notPriced: string };

interface Ctx {
    run: StackRun;
    a: CostAssumptions;
    table: PriceTable;
    byUrn: Map<string, RecordedResource>;
    ofType: (type: string) => RecordedResource[];
    regionOf: (r: RecordedResource) => string;
    warnings: string[];
}

type Formula = (r: RecordedResource, prices: RegionPrices, ctx: Ctx) => FormulaResult;

function namesOf(r: RecordedResource, ...keys: string[]): string[] {
    const out = [r.name];
    for (const k of keys) {
        const v = str(val(r, k));
        if (v) out.push(v);
    }
    return out;
}

function override<T>(map: Record<string, T>, names: string[]): T | undefined {
    for (const n of names) if (map[n] !== undefined) return map[n];
    return undefined;
}

/** Resources of `type` that input `key` of `r` came from (the engine's propertyDependencies). */
function dependencies(r: RecordedResource, key: string, type: string, ctx: Ctx): RecordedResource[] {
    const urns = r.propertyDependencies?.[key] ?? [];
    return urns.map((u) => ctx.byUrn.get(u)).filter((x): x is RecordedResource => x !== undefined && x.type === type);
}

/** True when input `key` of `r` came from `urn`, directly or through one resource in between. */
function dependsOn(r: RecordedResource, key: string, urn: string, ctx: Ctx): boolean {
    const direct = r.propertyDependencies?.[key] ?? [];
    if (direct.includes(urn)) return true;
    return direct.some((u) => Object.values(ctx.byUrn.get(u)?.propertyDependencies ?? {}).some((list) => list.includes(urn)));
}

// ---------------------------------------------------------------------------------------------
// ECS Fargate
// ---------------------------------------------------------------------------------------------

function findTaskDefinition(service: RecordedResource, ctx: Ctx): RecordedResource | undefined {
    const viaDeps = dependencies(service, "taskDefinition", "aws:ecs/taskDefinition:TaskDefinition", ctx);
    if (viaDeps.length === 1) return viaDeps[0];
    const s = str(val(service, "taskDefinition"));
    if (!s) return undefined;
    const tds = ctx.ofType("aws:ecs/taskDefinition:TaskDefinition");
    const exact = tds.find((td) => [td.state?.arn, td.state?.id, td.state?.arnWithoutRevision].includes(s));
    if (exact) return exact;
    // "arn:aws:ecs:region:acct:task-definition/family:3" or "family:3" or "family"
    const tail = s.includes("task-definition/") ? s.slice(s.indexOf("task-definition/") + "task-definition/".length) : s;
    const family = tail.replace(/:\d+$/, "");
    return tds.find((td) => (str(td.inputs?.family) ?? str(td.state?.family)) === family);
}

/** Scalable target and scheduled actions whose resourceId names this ECS service. */
function ecsScaling(service: RecordedResource, ctx: Ctx) {
    const names = new Set(namesOf(service, "name"));
    const matches = (x: RecordedResource) => {
        if (dependsOn(x, "resourceId", service.urn, ctx)) return true;
        const id = str(val(x, "resourceId"));
        if (!id) return false;
        const parts = id.split("/");
        return parts[0] === "service" && names.has(parts[parts.length - 1]);
    };
    const target = ctx.ofType("aws:appautoscaling/target:Target").find(matches);
    const actions = ctx.ofType("aws:appautoscaling/scheduledAction:ScheduledAction").filter(matches);
    return { target, actions };
}

/** The cluster's default capacity provider strategy (aws:ecs/clusterCapacityProviders), for services without their own. */
function clusterDefaultStrategy(service: RecordedResource, ctx: Ctx): any[] {
    const ref = str(val(service, "cluster"));
    if (!ref) return [];
    const ccp = ctx.ofType("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders").find((c) => {
        const name = str(val(c, "clusterName"));
        return !!name && (ref === name || ref.endsWith(`/${name}`));
    });
    return ccp ? arr(val(ccp, "defaultCapacityProviderStrategies")) : [];
}

const ecsService: Formula = (r, pr, ctx) => {
    const own = arr(val(r, "capacityProviderStrategies"));
    const launchType = str(val(r, "launchType"));
    const strategies = own.length > 0 || launchType ? own : clusterDefaultStrategy(r, ctx);
    const fargateStrategies = strategies.filter((s) => /^FARGATE(_SPOT)?$/.test(str(s?.capacityProvider) ?? ""));
    if (launchType === "EC2" || launchType === "EXTERNAL" || (strategies.length > 0 && fargateStrategies.length === 0)) {
        return { items: [], notes: [`launch type ${launchType ?? "EC2 capacity provider"}: the cost is on the EC2 instances, not on the service`] };
    }
    const td = findTaskDefinition(r, ctx);
    if (!td) return { notPriced: `task definition ${JSON.stringify(val(r, "taskDefinition"))} not found in the graph (cpu/memory unknown)` };
    const cpuUnits = num(val(td, "cpu"));
    const memoryMb = num(val(td, "memory"));
    if (cpuUnits === undefined || memoryMb === undefined) {
        return { notPriced: `task definition ${td.name} has no task-level cpu/memory (required on Fargate)` };
    }
    const vcpu = cpuUnits / 1024;
    const gb = memoryMb / 1024;
    const arm = str(td.inputs?.runtimePlatform?.cpuArchitecture)?.toUpperCase() === "ARM64";
    const notes: string[] = [];

    const { target, actions } = ecsScaling(r, ctx);
    const desired = num(val(r, "desiredCount"));
    const targetMin = target ? num(val(target, "minCapacity")) : undefined;
    const targetMax = target ? num(val(target, "maxCapacity")) : undefined;
    let baseline = desired ?? targetMin ?? ctx.a.fargate.defaultDesiredCount;
    if (targetMin !== undefined && targetMin > baseline) baseline = targetMin;
    if (desired === undefined && targetMin === undefined) notes.push(`desiredCount not set: assumed ${baseline} task(s)`);
    const scheduled: ScheduledCapacity[] = actions.map((a) => ({
        schedule: str(val(a, "schedule")) ?? "",
        timezone: str(val(a, "timezone")),
        minCapacity: num(val(a, "scalableTargetAction")?.minCapacity),
        maxCapacity: num(val(a, "scalableTargetAction")?.maxCapacity),
    }));
    const sched = scheduledTaskHours(baseline, scheduled, ctx.a.hoursPerMonth, { minCapacity: targetMin, maxCapacity: targetMax });
    notes.push(...sched.warnings);
    if (sched.scheduled) {
        notes.push(
            `scheduled scaling (${actions.map((a) => a.name).join(", ")}): ${round2(sched.runningHours)} running h/month instead of ${ctx.a.hoursPerMonth}`,
        );
    }

    // Split tasks over FARGATE / FARGATE_SPOT: `base` tasks first, the rest by weight.
    let spotShare = 0;
    if (fargateStrategies.length > 0) {
        // Split the tasks that run while the service is up (the schedule only scales them to 0).
        const avg = sched.runningHours > 0 ? sched.taskHours / sched.runningHours : 0;
        let remaining = avg;
        let spotTasks = 0;
        for (const s of fargateStrategies) {
            const base = Math.min(num(s.base) ?? 0, remaining);
            if (s.capacityProvider === "FARGATE_SPOT") spotTasks += base;
            remaining -= base;
        }
        const totalWeight = fargateStrategies.reduce((t, s) => t + (num(s.weight) ?? 0), 0);
        if (totalWeight > 0) {
            for (const s of fargateStrategies) {
                if (s.capacityProvider === "FARGATE_SPOT") spotTasks += (remaining * (num(s.weight) ?? 0)) / totalWeight;
            }
        }
        spotShare = avg > 0 ? spotTasks / avg : 0;
    }
    const odHours = sched.taskHours * (1 - spotShare);
    const spotHours = sched.taskHours * spotShare;
    const arch = arm ? "ARM64" : "x86";
    const items: CostItem[] = [];
    if (odHours > 0 || spotHours === 0) {
        items.push(
            item(`${vcpu} vCPU x ${round2(odHours)} task-hours (${arch})`, vcpu * odHours, arm ? pr.fargateArmVcpuHour : pr.fargateVcpuHour),
            item(`${gb} GB x ${round2(odHours)} task-hours (${arch})`, gb * odHours, arm ? pr.fargateArmGbHour : pr.fargateGbHour),
        );
    }
    if (spotHours > 0) {
        items.push(
            item(`${vcpu} vCPU x ${round2(spotHours)} Spot task-hours (${arch})`, vcpu * spotHours, arm ? pr.fargateArmSpotVcpuHour : pr.fargateSpotVcpuHour),
            item(`${gb} GB x ${round2(spotHours)} Spot task-hours (${arch})`, gb * spotHours, arm ? pr.fargateArmSpotGbHour : pr.fargateSpotGbHour),
        );
    }
    if (sched.taskHours === 0 && (targetMax ?? 0) > 0) {
        const perTaskHour = vcpu * (arm ? pr.fargateArmVcpuHour : pr.fargateVcpuHour).usd + gb * (arm ? pr.fargateArmGbHour : pr.fargateGbHour).usd;
        notes.push(`scales from 0 on load (up to ${targetMax} tasks): $${perTaskHour.toFixed(4)} per on-demand task-hour, load not modelled`);
    }
    const ephemeral = num(td.inputs?.ephemeralStorage?.sizeInGib);
    if (ephemeral !== undefined && ephemeral > 20) {
        items.push(item(`${ephemeral - 20} GiB ephemeral storage beyond 20 GiB x ${round2(sched.taskHours)} task-hours`, (ephemeral - 20) * sched.taskHours, pr.fargateEphemeralGbHour));
    }
    return { items, notes };
};

/** Fargate task-size prices for one task definition (on-demand, or Spot when `spot`). */
function fargateItems(td: RecordedResource, taskHours: number, pr: RegionPrices, what: string, spot = false): CostItem[] | string {
    const cpuUnits = num(val(td, "cpu"));
    const memoryMb = num(val(td, "memory"));
    if (cpuUnits === undefined || memoryMb === undefined) return `task definition ${td.name} has no task-level cpu/memory (required on Fargate)`;
    const vcpu = cpuUnits / 1024;
    const gb = memoryMb / 1024;
    const arm = str(td.inputs?.runtimePlatform?.cpuArchitecture)?.toUpperCase() === "ARM64";
    const arch = arm ? "ARM64" : "x86";
    const sp = spot ? " Spot" : "";
    return [
        item(`${vcpu} vCPU x ${round2(taskHours)}${sp} task-hours (${arch}, ${what})`, vcpu * taskHours, arm ? (spot ? pr.fargateArmSpotVcpuHour : pr.fargateArmVcpuHour) : spot ? pr.fargateSpotVcpuHour : pr.fargateVcpuHour),
        item(`${gb} GB x ${round2(taskHours)}${sp} task-hours (${arch}, ${what})`, gb * taskHours, arm ? (spot ? pr.fargateArmSpotGbHour : pr.fargateArmGbHour) : spot ? pr.fargateSpotGbHour : pr.fargateGbHour),
    ];
}

/** A scheduled ECS RunTask (EventBridge Scheduler target or rule target): runs x minutes x task size. */
function scheduledEcsTask(
    r: RecordedResource,
    ecs: any,
    depsKey: string,
    expression: string | undefined,
    pr: RegionPrices,
    ctx: Ctx,
): FormulaResult {
    const byDeps = dependencies(r, depsKey, "aws:ecs/taskDefinition:TaskDefinition", ctx);
    const arn = str(ecs?.taskDefinitionArn);
    const td =
        byDeps.length === 1
            ? byDeps[0]
            : ctx.ofType("aws:ecs/taskDefinition:TaskDefinition").find((t) => [t.state?.arn, t.state?.id].includes(arn) || (!!arn && arn.replace(/:\d+$/, "").endsWith(`/${str(val(t, "family"))}`)));
    if (!td) return { notPriced: `scheduled ECS task: task definition ${arn ?? "(unset)"} not found in the graph` };
    if (!expression) return { notPriced: "scheduled ECS task without a schedule expression (event-driven runs have no assumption)" };
    const runs = runsPerMonth(expression, ctx.a.hoursPerMonth);
    if (typeof runs === "string") return { notPriced: `scheduled ECS task: ${runs}` };
    const tasks = num(ecs?.taskCount) ?? 1;
    const minutes = ctx.a.fargate.scheduledTaskMinutes;
    const hours = (runs * tasks * minutes) / 60;
    const spot = arr(ecs?.capacityProviderStrategies ?? ecs?.capacityProviderStrategy).some((s: any) => s?.capacityProvider === "FARGATE_SPOT");
    const items = fargateItems(td, hours, pr, `${round2(runs)} runs x ${tasks} task(s) x ${minutes} min`, spot);
    if (typeof items === "string") return { notPriced: items };
    return { items, notes: [`${expression}: ${round2(runs)} runs/month of ${td.name}; run length from fargate.scheduledTaskMinutes`] };
}

const schedulerSchedule: Formula = (r, pr, ctx) => {
    const target = val(r, "target");
    if (str(val(r, "state")) === "DISABLED") return { items: [], notes: ["disabled"] };
    if (!target?.ecsParameters) return { items: [], notes: ["EventBridge Scheduler: first 14M invocations a month are free; the target's invocations are priced on the target"] };
    return scheduledEcsTask(r, target.ecsParameters, "target", str(val(r, "scheduleExpression")), pr, ctx);
};

const eventTarget: Formula = (r, pr, ctx) => {
    const ecs = val(r, "ecsTarget");
    if (!ecs) return { items: [], notes: ["event targets are free; deliveries are priced on the target"] };
    const ruleName = str(val(r, "rule"));
    const rule =
        dependencies(r, "rule", "aws:cloudwatch/eventRule:EventRule", ctx)[0] ??
        ctx.ofType("aws:cloudwatch/eventRule:EventRule").find((x) => [x.name, str(val(x, "name")), str(x.state?.id)].includes(ruleName));
    return scheduledEcsTask(r, ecs, "ecsTarget", rule ? str(val(rule, "scheduleExpression")) : undefined, pr, ctx);
};

// ---------------------------------------------------------------------------------------------
// Load balancers, NAT, IPs, endpoints
// ---------------------------------------------------------------------------------------------

const loadBalancer: Formula = (r, pr, ctx) => {
    const type = str(val(r, "loadBalancerType")) ?? "application";
    const h = ctx.a.hoursPerMonth;
    const items: CostItem[] = [];
    if (type === "application") {
        items.push(item(`${h} ALB-hours`, h, pr.albHour));
        items.push(item(`${ctx.a.alb.lcuPerLoadBalancer} LCU x ${h} h`, ctx.a.alb.lcuPerLoadBalancer * h, pr.albLcuHour));
    } else if (type === "network") {
        items.push(item(`${h} NLB-hours`, h, pr.nlbHour));
        items.push(item(`${ctx.a.alb.nlcuPerLoadBalancer} NLCU x ${h} h`, ctx.a.alb.nlcuPerLoadBalancer * h, pr.nlbLcuHour));
    } else {
        return { notPriced: `load balancer type "${type}" has no formula` };
    }
    const notes: string[] = [];
    if (val(r, "internal") !== true) {
        const azs = Math.max(arr(val(r, "subnets")).length, arr(val(r, "subnetMappings")).length) || 2;
        items.push(item(`${azs} public IPv4 address(es) x ${h} h (internet-facing, one per AZ at least)`, azs * h, pr.publicIpv4Hour));
    }
    return { items, notes };
};

const natGateway: Formula = (r, pr, ctx) => {
    const nats = ctx.ofType("aws:ec2/natGateway:NatGateway");
    const gb = ctx.a.nat.processedGb / Math.max(1, nats.length);
    const h = ctx.a.hoursPerMonth;
    return {
        items: [item(`${h} NAT gateway-hours`, h, pr.natHour), item(`${round2(gb)} GB processed (${ctx.a.nat.processedGb} GB / ${nats.length} NAT)`, gb, pr.natGb)],
        notes: str(val(r, "connectivityType")) === "private" ? ["private NAT gateway"] : [],
    };
};

const eip: Formula = (_r, pr, ctx) => ({
    items: [item(`public IPv4 x ${ctx.a.hoursPerMonth} h`, ctx.a.hoursPerMonth, pr.publicIpv4Hour)],
});

const vpcEndpoint: Formula = (r, pr, ctx) => {
    const type = str(val(r, "vpcEndpointType")) ?? "Gateway";
    if (type === "Gateway") return { items: [], notes: ["gateway endpoint (S3/DynamoDB): free"] };
    if (type !== "Interface") return { notPriced: `VPC endpoint type ${type} has no formula` };
    const azs = arr(val(r, "subnetIds")).length || 1;
    const h = ctx.a.hoursPerMonth;
    return {
        items: [
            item(`${azs} AZ x ${h} h`, azs * h, pr.vpcEndpointAzHour),
            item(`${ctx.a.vpcEndpoints.gbPerInterfaceEndpoint} GB processed`, ctx.a.vpcEndpoints.gbPerInterfaceEndpoint, pr.vpcEndpointGb),
        ],
    };
};

// ---------------------------------------------------------------------------------------------
// Aurora
// ---------------------------------------------------------------------------------------------

function findCluster(instance: RecordedResource, ctx: Ctx): RecordedResource | undefined {
    const viaDeps = dependencies(instance, "clusterIdentifier", "aws:rds/cluster:Cluster", ctx);
    if (viaDeps.length === 1) return viaDeps[0];
    const ref = str(val(instance, "clusterIdentifier"));
    if (!ref) return undefined;
    return ctx
        .ofType("aws:rds/cluster:Cluster")
        .find((c) => [c.inputs?.clusterIdentifier, c.state?.clusterIdentifier, c.state?.id, c.state?.arn].includes(ref));
}

const ioOptimized = (cluster: RecordedResource | undefined) => str(cluster && val(cluster, "storageType")) === "aurora-iopt1";

const rdsClusterInstance: Formula = (r, pr, ctx) => {
    const cls = str(val(r, "instanceClass"));
    const engine = str(val(r, "engine")) ?? "";
    if (engine !== "" && !engine.startsWith("aurora")) return { notPriced: `engine ${engine} (non-Aurora cluster instance) has no formula` };
    const cluster = findCluster(r, ctx);
    const iopt = ioOptimized(cluster);
    const h = ctx.a.hoursPerMonth;
    if (cls === "db.serverless") {
        const cfg = cluster ? val(cluster, "serverlessv2ScalingConfiguration") : undefined;
        const min = num(cfg?.minCapacity);
        const max = num(cfg?.maxCapacity);
        if (min === undefined || max === undefined) {
            return { notPriced: `db.serverless instance without its cluster's serverlessv2ScalingConfiguration (cluster ${val(r, "clusterIdentifier") ?? "?"} not found or not configured)` };
        }
        const expected = Math.min(max, Math.max(min, ctx.a.aurora.expectedAcu));
        const price = iopt ? pr.auroraIoOptimizedAcuHour : pr.auroraAcuHour;
        const atMin = item(`${min} ACU (min) x ${h} h`, min * h, price);
        return {
            items: [item(`${expected} ACU expected (min ${min}, max ${max}) x ${h} h`, expected * h, price)],
            atMinimumUsd: atMin.monthlyUsd,
            notes: [`at min capacity ${min} ACU: $${round2(atMin.monthlyUsd)}; at max ${max} ACU: $${round2(max * h * price.usd)}`],
        };
    }
    const price = cls ? pr.auroraInstanceHour[cls] : undefined;
    if (!price) return { notPriced: `no price for Aurora instance class ${cls ?? "(unset)"} in ${pr.region}` };
    const notes = engine.includes("mysql") ? ["priced at the Aurora PostgreSQL rate (Aurora MySQL is about the same or a little lower)"] : [];
    return {
        items: [item(`${cls} x ${h} h${iopt ? " (I/O-Optimized +30%)" : ""}`, h, price, iopt ? AURORA_IO_OPTIMIZED_INSTANCE_FACTOR : 1)],
        notes,
    };
};

const rdsCluster: Formula = (r, pr, ctx) => {
    const engine = str(val(r, "engine")) ?? "";
    if (!engine.startsWith("aurora")) return { notPriced: `engine ${engine || "(unset)"} (Multi-AZ DB cluster) has no formula` };
    if (str(val(r, "engineMode")) === "serverless") return { notPriced: "Aurora Serverless v1 (engineMode serverless) is retired and has no formula" };
    const a = ctx.a.aurora;
    const iopt = ioOptimized(r);
    const items = [item(`${a.storageGb} GB cluster volume`, a.storageGb, iopt ? pr.auroraIoOptimizedStorageGbMonth : pr.auroraStorageGbMonth)];
    if (!iopt) items.push(item(`${a.ioRequestsPerMonth / 1e6}M I/O requests`, a.ioRequestsPerMonth / 1e6, pr.auroraIoPerMillion));
    const billedBackup = Math.max(0, a.backupStorageGb - a.storageGb);
    items.push(item(`${billedBackup} GB backup beyond the free 100% of cluster volume (${a.backupStorageGb} GB total)`, billedBackup, pr.auroraBackupGbMonth));
    return { items };
};

// ---------------------------------------------------------------------------------------------
// ElastiCache, DynamoDB
// ---------------------------------------------------------------------------------------------

function cacheNodePrice(nodeType: string | undefined, engine: string | undefined, pr: RegionPrices): { price?: Price; factor: number } {
    const price = nodeType ? pr.elasticacheNodeHour[nodeType] : undefined;
    return { price, factor: engine === "valkey" ? VALKEY_NODE_FACTOR : 1 };
}

const replicationGroup: Formula = (r, pr, ctx) => {
    const nodeType = str(val(r, "nodeType"));
    const engine = str(val(r, "engine")) ?? "redis";
    const { price, factor } = cacheNodePrice(nodeType, engine, pr);
    if (!price) return { notPriced: `no price for ElastiCache node type ${nodeType ?? "(unset)"} in ${pr.region}` };
    const groups = num(val(r, "numNodeGroups"));
    const replicas = num(val(r, "replicasPerNodeGroup"));
    const nodes = groups !== undefined ? groups * ((replicas ?? 0) + 1) : (num(val(r, "numCacheClusters")) ?? 1);
    const h = ctx.a.hoursPerMonth;
    const how = groups !== undefined ? `${groups} shard(s) x (${replicas ?? 0} replica(s) + 1)` : `numCacheClusters`;
    return { items: [item(`${nodes} x ${nodeType} (${how}, ${engine}) x ${h} h`, nodes * h, price, factor)] };
};

const cacheCluster: Formula = (r, pr, ctx) => {
    if (str(val(r, "replicationGroupId"))) return { items: [], notes: ["member of a replication group: priced on the group"] };
    const nodeType = str(val(r, "nodeType"));
    const engine = str(val(r, "engine"));
    const { price, factor } = cacheNodePrice(nodeType, engine, pr);
    if (!price) return { notPriced: `no price for ElastiCache node type ${nodeType ?? "(unset)"} in ${pr.region}` };
    const nodes = num(val(r, "numCacheNodes")) ?? 1;
    return { items: [item(`${nodes} x ${nodeType} x ${ctx.a.hoursPerMonth} h`, nodes * ctx.a.hoursPerMonth, price, factor)] };
};

const dynamoTable: Formula = (r, pr, ctx) => {
    const a = ctx.a.dynamodb;
    const o = override(a.perTable, namesOf(r, "name")) ?? {};
    const storage = o.storageGb ?? a.storageGbPerTable;
    const items = [item(`${storage} GB stored`, storage, pr.dynamodbStorageGbMonth)];
    const notes: string[] = [];
    const h = ctx.a.hoursPerMonth;
    if ((str(val(r, "billingMode")) ?? "PROVISIONED") === "PAY_PER_REQUEST") {
        const reads = o.readRequestsPerMonth ?? a.readRequestsPerMonth;
        const writes = o.writeRequestsPerMonth ?? a.writeRequestsPerMonth;
        items.push(item(`${reads / 1e6}M read request units`, reads / 1e6, pr.dynamodbReadRequestsPerMillion));
        items.push(item(`${writes / 1e6}M write request units`, writes / 1e6, pr.dynamodbWriteRequestsPerMillion));
    } else {
        const tableName = str(val(r, "name")) ?? r.name;
        const targets = ctx.ofType("aws:appautoscaling/target:Target");
        const minFor = (dimension: string, resourceId: string) => {
            const t = targets.find((x) => val(x, "resourceId") === resourceId && val(x, "scalableDimension") === dimension);
            return t ? num(val(t, "minCapacity")) : undefined;
        };
        let rcu = minFor("dynamodb:table:ReadCapacityUnits", `table/${tableName}`) ?? num(val(r, "readCapacity")) ?? 0;
        let wcu = minFor("dynamodb:table:WriteCapacityUnits", `table/${tableName}`) ?? num(val(r, "writeCapacity")) ?? 0;
        for (const gsi of arr(val(r, "globalSecondaryIndexes"))) {
            const id = `table/${tableName}/index/${gsi?.name}`;
            rcu += minFor("dynamodb:index:ReadCapacityUnits", id) ?? num(gsi?.readCapacity) ?? 0;
            wcu += minFor("dynamodb:index:WriteCapacityUnits", id) ?? num(gsi?.writeCapacity) ?? 0;
        }
        items.push(item(`${rcu} RCU x ${h} h (provisioned; autoscaling min where set)`, rcu * h, pr.dynamodbRcuHour));
        items.push(item(`${wcu} WCU x ${h} h (provisioned; autoscaling min where set)`, wcu * h, pr.dynamodbWcuHour));
    }
    if (arr(val(r, "replicas")).length > 0) notes.push("global table replicas are not priced (each replica region costs about as much again)");
    return { items, notes };
};

// ---------------------------------------------------------------------------------------------
// Storage: S3, EFS, ECR, Backup
// ---------------------------------------------------------------------------------------------

const S3_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const REPLICATION_TYPES = ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"];

/** Identifiers a bucket may be referenced by: logical name, bucket name, id, ARN. */
function bucketIds(b: RecordedResource): string[] {
    const name = str(val(b, "bucket"));
    return [b.name, name, str(b.state?.id), str(b.state?.arn), name ? `arn:aws:s3:::${name}` : undefined].filter((x): x is string => !!x);
}

interface ReplicaOf {
    source: RecordedResource;
    storageClass: string;
}

/** Replica buckets (destinations of a replication rule) -> their source bucket and storage class. */
function s3Replicas(ctx: Ctx): Map<RecordedResource, ReplicaOf> {
    const buckets = S3_TYPES.flatMap((t) => ctx.ofType(t));
    const byId = new Map<string, RecordedResource>();
    for (const b of buckets) for (const id of bucketIds(b)) byId.set(id, b);
    const out = new Map<RecordedResource, ReplicaOf>();
    for (const rc of REPLICATION_TYPES.flatMap((t) => ctx.ofType(t))) {
        const source = byId.get(str(val(rc, "bucket")) ?? "");
        if (!source) continue;
        for (const rule of arr(val(rc, "rules"))) {
            if (rule?.status === "Disabled") continue;
            const dest = byId.get(str(rule?.destination?.bucket) ?? "");
            if (dest && dest !== source) out.set(dest, { source, storageClass: str(rule?.destination?.storageClass) ?? "STANDARD" });
        }
    }
    return out;
}

const s3Bucket: Formula = (r, pr, ctx) => {
    const a = ctx.a.s3;
    const replicas = s3Replicas(ctx);
    // Source buckets share the stack's total; a replica holds what its source holds.
    const sources = S3_TYPES.flatMap((t) => ctx.ofType(t)).filter((b) => !replicas.has(b));
    const explicit = sources.map((b) => override(a.perBucket, namesOf(b, "bucket"))?.storageGb).filter((x): x is number => x !== undefined);
    const shared = Math.max(0, a.totalStorageGb - explicit.reduce((t, x) => t + x, 0));
    const gbOf = (b: RecordedResource) => override(a.perBucket, namesOf(b, "bucket"))?.storageGb ?? shared / Math.max(1, sources.length - explicit.length);
    const n = Math.max(1, sources.length);
    const cold: Record<string, Price> = {
        STANDARD_IA: pr.s3StandardIaGbMonth,
        ONEZONE_IA: pr.s3StandardIaGbMonth,
        GLACIER_IR: pr.s3GlacierIrGbMonth,
        GLACIER: pr.s3GlacierGbMonth,
        DEEP_ARCHIVE: pr.s3DeepArchiveGbMonth,
    };
    const replica = replicas.get(r);
    if (replica) {
        const gb = gbOf(replica.source);
        const cls = replica.storageClass;
        const price = cold[cls] ?? pr.s3StandardGbMonth;
        const notes = [`replica of ${replica.source.name} (${cls}): same GB as its source; cross-region transfer not modelled`];
        if (cold[cls] === undefined && cls !== "STANDARD") notes.push(`storage class ${cls} priced as Standard`);
        return {
            items: [
                item(`${round2(gb)} GB ${cls} (replica)`, gb, price),
                item(`${round2(a.putRequestsPerMonth / n / 1000)}k replication PUTs (as its source)`, a.putRequestsPerMonth / n / 1000, pr.s3PutPer1000),
            ],
            notes,
        };
    }
    const gb = gbOf(r);
    const std = override(a.perBucket, namesOf(r, "bucket"))?.standardShare ?? a.standardShare;
    const items = [item(`${round2(gb * std)} GB Standard`, gb * std, pr.s3StandardGbMonth)];
    if (std < 1) items.push(item(`${round2(gb * (1 - std))} GB ${a.coldStorageClass}`, gb * (1 - std), cold[a.coldStorageClass]));
    items.push(item(`${round2(a.putRequestsPerMonth / n / 1000)}k PUT/POST/LIST (1/${n} of ${a.putRequestsPerMonth})`, a.putRequestsPerMonth / n / 1000, pr.s3PutPer1000));
    items.push(item(`${round2(a.getRequestsPerMonth / n / 1000)}k GET (1/${n} of ${a.getRequestsPerMonth})`, a.getRequestsPerMonth / n / 1000, pr.s3GetPer1000));
    return { items };
};

const efs: Formula = (r, pr, ctx) => {
    const gb = ctx.a.efs.storageGbPerFileSystem;
    const notes = str(val(r, "throughputMode")) === "provisioned" ? ["provisioned throughput is not priced"] : [];
    return { items: [item(`${gb} GB Standard`, gb, pr.efsStandardGbMonth)], notes };
};

const ecr: Formula = (_r, pr, ctx) => ({
    items: [item(`${ctx.a.ecr.storageGbPerRepository} GB images`, ctx.a.ecr.storageGbPerRepository, pr.ecrGbMonth)],
});

const backupPlan: Formula = (r, pr, ctx) => {
    const plans = ctx.ofType("aws:backup/plan:Plan");
    const gb = ctx.a.backup.warmStorageGb / Math.max(1, plans.length);
    const items = [item(`${round2(gb)} GB warm backup storage`, gb, pr.backupWarmGbMonth)];
    const notes: string[] = [];
    for (const rule of arr(val(r, "rules"))) {
        for (const copy of arr(rule?.copyActions)) {
            const arn = str(copy?.destinationVaultArn) ?? "";
            const region = /^arn:[^:]+:backup:([^:]+):/.exec(arn)?.[1];
            const dest = region ? ctx.table.regions[region] : undefined;
            if (dest) items.push(item(`${round2(gb)} GB copied to ${region} (rule ${rule?.ruleName ?? "?"})`, gb, dest.backupWarmGbMonth));
            else notes.push(`copy action to ${arn || "an unknown vault"} not priced (region unknown); cross-region transfer is not priced`);
        }
    }
    return { items, notes };
};

// ---------------------------------------------------------------------------------------------
// Edge: CloudFront, WAF, Route 53
// ---------------------------------------------------------------------------------------------

const cloudfront: Formula = (_r, _pr, ctx) => {
    const n = Math.max(1, ctx.ofType("aws:cloudfront/distribution:Distribution").length);
    const a = ctx.a.cloudfront;
    const g = ctx.table.global;
    return {
        items: [
            item(`${round2(a.transferOutGb / n)} GB out (${a.edge} edges)`, a.transferOutGb / n, g.cloudfrontGbOut[a.edge]),
            item(`${round2(a.requestsPerMonth / n / 1e4)} x 10k HTTPS requests`, a.requestsPerMonth / n / 1e4, g.cloudfrontHttpsPer10k[a.edge]),
        ],
    };
};

const cloudfrontFunction: Formula = () => ({ notPriced: "CloudFront Functions ($0.10 per 1M invocations) have no invocation assumption" });

const EXTRA_FEE_RULE_GROUPS = ["AWSManagedRulesBotControlRuleSet", "AWSManagedRulesATPRuleSet", "AWSManagedRulesACFPRuleSet", "AWSManagedRulesAntiDDoSRuleSet"];

const webAcl: Formula = (r, pr, ctx) => {
    let rules = arr(val(r, "rules"));
    const ruleJson = str(val(r, "ruleJson"));
    if (rules.length === 0 && ruleJson) {
        try {
            rules = arr(JSON.parse(ruleJson));
        } catch {
            ctx.warnings.push(`${r.name}: ruleJson is not JSON; rules counted as 0`);
        }
    }
    const managed = rules.filter((x) => x?.statement?.managedRuleGroupStatement || x?.Statement?.ManagedRuleGroupStatement);
    const n = Math.max(1, ctx.ofType("aws:wafv2/webAcl:WebAcl").length);
    const reqs = ctx.a.waf.requestsPerMonth / n;
    const notes: string[] = [];
    const extra = managed
        .map((x) => str(x?.statement?.managedRuleGroupStatement?.name ?? x?.Statement?.ManagedRuleGroupStatement?.Name))
        .filter((name): name is string => !!name && EXTRA_FEE_RULE_GROUPS.includes(name));
    if (extra.length) notes.push(`subscription/request fees of ${extra.join(", ")} are not priced`);
    return {
        items: [
            item("web ACL", 1, pr.wafWebAclMonth),
            item(`${rules.length} rule(s) (${managed.length} managed rule group(s), each counted as a rule)`, rules.length, pr.wafRuleMonth),
            item(`${round2(reqs / 1e6)}M requests inspected`, reqs / 1e6, pr.wafRequestsPerMillion),
        ],
        notes,
    };
};

const route53Zone: Formula = (_r, _pr, ctx) => {
    const g = ctx.table.global;
    const q = ctx.a.route53.queriesPerMonth;
    return { items: [item("hosted zone", 1, g.route53ZoneMonth), item(`${q / 1e6}M queries`, q / 1e6, g.route53QueriesPerMillion)] };
};

const route53HealthCheck: Formula = (r, _pr, ctx) => {
    const g = ctx.table.global;
    const type = str(val(r, "type")) ?? "";
    const features =
        (/HTTPS/.test(type) ? 1 : 0) + (/STR_MATCH/.test(type) ? 1 : 0) + (num(val(r, "requestInterval")) === 10 ? 1 : 0) + (val(r, "measureLatency") === true ? 1 : 0);
    const items = [item(`health check (${type || "?"}, AWS endpoint assumed)`, 1, g.route53HealthCheckAwsMonth)];
    if (features > 0) items.push(item(`${features} optional feature(s) (HTTPS, string match, fast interval, latency)`, features, g.route53HealthCheckFeatureAwsMonth));
    return { items };
};

// ---------------------------------------------------------------------------------------------
// Observability and audit
// ---------------------------------------------------------------------------------------------

const logGroup: Formula = (r, pr, ctx) => {
    const n = Math.max(1, ctx.ofType("aws:cloudwatch/logGroup:LogGroup").length);
    const ingest = ctx.a.logs.ingestedGb / n;
    const retention = num(val(r, "retentionInDays")) ?? 0;
    const months = retention > 0 ? retention / (365 / 12) : ctx.a.logs.neverExpireMonths;
    const stored = ingest * months;
    const notes = str(val(r, "logGroupClass")) === "INFREQUENT_ACCESS" ? ["Infrequent Access class is priced at the Standard rate (it is about half)"] : [];
    return {
        items: [
            item(`${round2(ingest)} GB ingested (${ctx.a.logs.ingestedGb} GB / ${n} log groups)`, ingest, pr.logsIngestGb),
            item(`${round2(stored)} GB stored (${retention > 0 ? `${retention} days retention` : `never expires: ${ctx.a.logs.neverExpireMonths} months assumed`})`, stored, pr.logsStorageGbMonth),
        ],
        notes,
    };
};

const metricAlarm: Formula = (r, pr) => {
    const queries = arr(val(r, "metricQueries"));
    const period = num(val(r, "period"));
    if (queries.length === 0) {
        const hiRes = period !== undefined && period < 60;
        return { items: [item(`1 metric (${hiRes ? "high-resolution" : "standard"})`, 1, hiRes ? pr.alarmHighResMetricMonth : pr.alarmStandardMetricMonth)] };
    }
    const metrics = queries.filter((q) => q?.metric);
    const anomaly = queries.some((q) => /ANOMALY_DETECTION_BAND/i.test(str(q?.expression) ?? ""));
    const hiRes = metrics.some((q) => (num(q.metric?.period) ?? 60) < 60) || (period !== undefined && period < 60);
    const count = metrics.length * (anomaly ? 3 : 1);
    return {
        items: [
            item(
                `${count} metric(s) (${metrics.length} in metric math${anomaly ? ", anomaly detection x3" : ""}, ${hiRes ? "high-resolution" : "standard"})`,
                count,
                hiRes ? pr.alarmHighResMetricMonth : pr.alarmStandardMetricMonth,
            ),
        ],
    };
};

const compositeAlarm: Formula = (_r, pr) => ({ items: [item("composite alarm", 1, pr.compositeAlarmMonth)] });

const dashboard: Formula = (r, pr, ctx) => {
    const index = ctx.ofType("aws:cloudwatch/dashboard:Dashboard").indexOf(r);
    const free = ctx.a.freeTier.dashboards;
    if (index < free) return { items: [item(`dashboard (one of the first ${free} free)`, 0, pr.dashboardMonth)] };
    return { items: [item(`dashboard (beyond the free ${free})`, 1, pr.dashboardMonth)] };
};

function trailKinds(r: RecordedResource) {
    const adv = arr(val(r, "advancedEventSelectors"));
    const basic = arr(val(r, "eventSelectors"));
    const category = (s: any, c: string) =>
        arr(s?.fieldSelectors).some((f: any) => f?.field === "eventCategory" && arr(f?.equals).includes(c));
    const management =
        adv.length > 0 ? adv.some((s) => category(s, "Management")) : basic.length > 0 ? basic.some((s) => s?.includeManagementEvents !== false) : true;
    const data = adv.some((s) => category(s, "Data")) || basic.some((s) => arr(s?.dataResources).length > 0);
    const insights = arr(val(r, "insightSelectors")).length > 0;
    return { management, data, insights };
}

const cloudtrail: Formula = (r, pr, ctx) => {
    const a = ctx.a.cloudtrail;
    const { management, data, insights } = trailKinds(r);
    const items: CostItem[] = [];
    const notes: string[] = [];
    if (management) {
        const firstMgmt = ctx.ofType("aws:cloudtrail/trail:Trail").find((t) => trailKinds(t).management);
        if (a.firstManagementTrailFree && firstMgmt === r) {
            notes.push("first copy of management events: free");
        } else {
            items.push(item(`${a.managementEventsPerMonth / 1e5} x 100k management events (additional copy)`, a.managementEventsPerMonth / 1e5, pr.cloudtrailManagementEventsPer100k));
        }
    }
    if (data) items.push(item(`${a.dataEventsPerMonth / 1e5} x 100k data events`, a.dataEventsPerMonth / 1e5, pr.cloudtrailDataEventsPer100k));
    if (insights) items.push(item(`${a.managementEventsPerMonth / 1e5} x 100k events analysed by Insights`, a.managementEventsPerMonth / 1e5, pr.cloudtrailInsightsPer100k));
    notes.push("S3 storage of the trail's log files is in the bucket's storage assumption");
    return { items, notes };
};

// ---------------------------------------------------------------------------------------------
// Security
// ---------------------------------------------------------------------------------------------

const kmsKey: Formula = (r, pr, ctx) => {
    const keys = ["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey", "aws:kms/externalKey:ExternalKey"].reduce((t, type) => t + ctx.ofType(type).length, 0);
    const calls = ctx.a.kms.apiCallsPerMonth / Math.max(1, keys);
    const notes = val(r, "enableKeyRotation") === true ? ["automatic rotation adds $1/month for each of the first two rotations (after 1 and 2 years): not included"] : [];
    return {
        items: [item("customer managed key", 1, pr.kmsKeyMonth), item(`${round2(calls / 1e4)} x 10k API requests (1/${keys} of ${ctx.a.kms.apiCallsPerMonth})`, calls / 1e4, pr.kmsApiPer10k)],
        notes,
    };
};

const secret: Formula = (r, pr, ctx) => {
    const n = Math.max(1, ctx.ofType("aws:secretsmanager/secret:Secret").length);
    const calls = ctx.a.secretsManager.apiCallsPerMonth / n;
    const replicas = arr(val(r, "replicas")).length;
    const items = [item("secret", 1, pr.secretMonth)];
    if (replicas > 0) items.push(item(`${replicas} replica(s)`, replicas, pr.secretMonth));
    items.push(item(`${round2(calls / 1e4)} x 10k API calls (1/${n} of ${ctx.a.secretsManager.apiCallsPerMonth})`, calls / 1e4, pr.secretsApiPer10k));
    return { items };
};

// ---------------------------------------------------------------------------------------------
// Serverless and integration
// ---------------------------------------------------------------------------------------------

const lambdaFunction: Formula = (r, pr, ctx) => {
    const a = ctx.a.lambda;
    const o = override(a.perFunction, namesOf(r, "name")) ?? {};
    const requests = o.requestsPerMonth ?? a.requestsPerMonth;
    const durationMs = o.avgDurationMs ?? a.avgDurationMs;
    const memoryMb = num(val(r, "memorySize")) ?? 128;
    const arm = arr(val(r, "architectures")).includes("arm64");
    const gbSeconds = requests * (durationMs / 1000) * (memoryMb / 1024);
    return {
        items: [
            item(`${requests / 1e6}M requests`, requests / 1e6, pr.lambdaRequestsPerMillion),
            item(`${round2(gbSeconds)} GB-s (${requests} x ${durationMs} ms x ${memoryMb} MB, ${arm ? "arm64" : "x86_64"})`, gbSeconds, arm ? pr.lambdaArmGbSecond : pr.lambdaGbSecond),
        ],
    };
};

const sqsQueue: Formula = (r, pr, ctx) => {
    const q = ctx.a.sqs.requestsPerQueue;
    const fifo = val(r, "fifoQueue") === true;
    return { items: [item(`${q / 1e6}M requests (${fifo ? "FIFO" : "standard"})`, q / 1e6, fifo ? pr.sqsFifoRequestsPerMillion : pr.sqsRequestsPerMillion)] };
};

const snsTopic: Formula = (r, pr, ctx) => {
    const p = ctx.a.sns.publishesPerTopic;
    const notes = val(r, "fifoTopic") === true ? ["FIFO topic priced at the standard publish rate"] : [];
    return { items: [item(`${p / 1e6}M publishes`, p / 1e6, pr.snsPublishesPerMillion)], notes };
};

const eventBus: Formula = (r, pr, ctx) => {
    if ((str(val(r, "name")) ?? r.name) === "default") return { items: [], notes: ["default bus"] };
    const e = ctx.a.eventBridge.eventsPerCustomBus;
    return { items: [item(`${e / 1e6}M custom events`, e / 1e6, pr.eventBridgeEventsPerMillion)] };
};

const stateMachine: Formula = (r, pr, ctx) => {
    const type = str(val(r, "type")) ?? "STANDARD";
    const a = ctx.a.stepFunctions;
    if (type === "EXPRESS") {
        return {
            items: [item(`${a.requestsPerExpressStateMachine / 1e6}M executions`, a.requestsPerExpressStateMachine / 1e6, pr.sfnExpressRequestsPerMillion)],
            notes: ["Express duration (GB-s) is not priced"],
        };
    }
    return { items: [item(`${a.transitionsPerStateMachine / 1000}k state transitions`, a.transitionsPerStateMachine / 1000, pr.sfnTransitionsPer1000)] };
};

const restApi: Formula = (_r, pr, ctx) => {
    const q = ctx.a.apiGateway.requestsPerApi;
    return { items: [item(`${q / 1e6}M REST API requests`, q / 1e6, pr.apiGatewayRestPerMillion)] };
};

const apiV2: Formula = (r, pr, ctx) => {
    const q = ctx.a.apiGateway.requestsPerApi;
    const ws = str(val(r, "protocolType")) === "WEBSOCKET";
    return {
        items: [item(`${q / 1e6}M ${ws ? "WebSocket messages" : "HTTP API requests"}`, q / 1e6, ws ? pr.apiGatewayWebsocketPerMillion : pr.apiGatewayHttpPerMillion)],
        notes: ws ? ["WebSocket connection minutes are not priced"] : [],
    };
};

const userPool: Formula = (r, pr, ctx) => {
    const tier = (str(val(r, "userPoolTier")) ?? "ESSENTIALS").toUpperCase();
    const mau = ctx.a.cognito.monthlyActiveUsers;
    const notes = ["user pools created before 2024-11-22 keep the legacy 50,000 free MAUs; new pools get 10,000 (Lite/Essentials)"];
    if (tier === "PLUS") return { items: [item(`${mau} MAU (Plus, no free tier)`, mau, pr.cognitoPlusMau)], notes };
    const billed = Math.max(0, mau - 10_000);
    return { items: [item(`${billed} MAU beyond the free 10,000 (${tier}, ${mau} MAU)`, billed, tier === "LITE" ? pr.cognitoLiteMau : pr.cognitoEssentialsMau)], notes };
};

// ---------------------------------------------------------------------------------------------
// Formula table
// ---------------------------------------------------------------------------------------------

export const FORMULAS: Readonly<Record<string, Formula>> = Object.freeze({
    "aws:ecs/service:Service": ecsService,
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:alb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:ec2/natGateway:NatGateway": natGateway,
    "aws:ec2/eip:Eip": eip,
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
    "aws:rds/clusterInstance:ClusterInstance": rdsClusterInstance,
    "aws:rds/cluster:Cluster": rdsCluster,
    "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
    "aws:elasticache/cluster:Cluster": cacheCluster,
    "aws:dynamodb/table:Table": dynamoTable,
    "aws:s3/bucket:Bucket": s3Bucket,
    "aws:s3/bucketV2:BucketV2": s3Bucket,
    "aws:efs/fileSystem:FileSystem": efs,
    "aws:ecr/repository:Repository": ecr,
    "aws:backup/plan:Plan": backupPlan,
    "aws:cloudfront/distribution:Distribution": cloudfront,
    "aws:cloudfront/function:Function": cloudfrontFunction,
    "aws:wafv2/webAcl:WebAcl": webAcl,
    "aws:route53/zone:Zone": route53Zone,
    "aws:route53/healthCheck:HealthCheck": route53HealthCheck,
    "aws:cloudwatch/logGroup:LogGroup": logGroup,
    "aws:cloudwatch/metricAlarm:MetricAlarm": metricAlarm,
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": compositeAlarm,
    "aws:cloudwatch/dashboard:Dashboard": dashboard,
    "aws:cloudtrail/trail:Trail": cloudtrail,
    "aws:kms/key:Key": kmsKey,
    "aws:kms/replicaKey:ReplicaKey": kmsKey,
    "aws:kms/externalKey:ExternalKey": kmsKey,
    "aws:secretsmanager/secret:Secret": secret,
    "aws:lambda/function:Function": lambdaFunction,
    "aws:sqs/queue:Queue": sqsQueue,
    "aws:sns/topic:Topic": snsTopic,
    "aws:cloudwatch/eventBus:EventBus": eventBus,
    "aws:sfn/stateMachine:StateMachine": stateMachine,
    "aws:apigateway/restApi:RestApi": restApi,
    "aws:apigatewayv2/api:Api": apiV2,
    "aws:cognito/userPool:UserPool": userPool,
    "aws:scheduler/schedule:Schedule": schedulerSchedule,
    "aws:cloudwatch/eventTarget:EventTarget": eventTarget,
});

/** Resource types the model prices (for docs and tests). */
export const PRICED_TYPES: readonly string[] = Object.freeze(Object.keys(FORMULAS));

// ---------------------------------------------------------------------------------------------
// Stack-level usage lines
// ---------------------------------------------------------------------------------------------

const USAGE_COMPONENT = "(stack usage)";

function usageLine(type: string, name: string, region: string, items: CostItem[], notes: string[]): CostLine {
    const total = items.reduce((t, i) => t + i.monthlyUsd, 0);
    return { urn: "", name, type, component: USAGE_COMPONENT, region, monthlyUsd: total, atMinimumUsd: total, items, notes };
}

function tracingSignals(ctx: Ctx): string[] {
    const out: string[] = [];
    for (const f of ctx.ofType("aws:lambda/function:Function")) if (str(val(f, "tracingConfig")?.mode) === "Active") out.push(`lambda ${f.name}`);
    for (const s of ctx.ofType("aws:apigateway/stage:Stage")) if (val(s, "xrayTracingEnabled") === true) out.push(`api stage ${s.name}`);
    for (const sm of ctx.ofType("aws:sfn/stateMachine:StateMachine")) if (val(sm, "tracingConfiguration")?.enabled === true) out.push(`state machine ${sm.name}`);
    for (const td of ctx.ofType("aws:ecs/taskDefinition:TaskDefinition")) {
        const defs = val(td, "containerDefinitions");
        if (typeof defs === "string" && /xray|aws-otel-collector|adot/i.test(defs)) out.push(`task ${td.name}`);
    }
    for (const r of ctx.run.resources) if (r.type.startsWith("aws:xray/")) out.push(`${r.type} ${r.name}`);
    return out;
}

function usageLines(ctx: Ctx, mainRegion: string): CostLine[] {
    const pr = ctx.table.regions[mainRegion];
    if (!pr) return [];
    const lines: CostLine[] = [];
    const compute = ctx.ofType("aws:ecs/service:Service").length + ctx.ofType("aws:lambda/function:Function").length;
    if (compute > 0 && ctx.a.metrics.customMetrics > 0) {
        lines.push(
            usageLine("usage:cloudwatch/customMetrics", "custom metrics", mainRegion, [item(`${ctx.a.metrics.customMetrics} custom metrics`, ctx.a.metrics.customMetrics, pr.customMetricMonth)], [
                "workload-published metrics (metrics.customMetrics)",
            ]),
        );
    }
    if (compute > 0 && ctx.ofType("aws:cloudwatch/logGroup:LogGroup").length === 0 && ctx.a.logs.ingestedGb > 0) {
        lines.push(
            usageLine("usage:cloudwatch/logs", "log ingestion (no log group in the graph)", mainRegion, [item(`${ctx.a.logs.ingestedGb} GB ingested`, ctx.a.logs.ingestedGb, pr.logsIngestGb)], [
                "no aws:cloudwatch/logGroup in the graph: ingestion priced at stack level, storage not priced",
            ]),
        );
    }
    const tracing = tracingSignals(ctx);
    if (tracing.length > 0 && ctx.a.xray.tracesPerMonth > 0) {
        const t = ctx.a.xray.tracesPerMonth;
        lines.push(usageLine("usage:xray/traces", "X-Ray traces", mainRegion, [item(`${t / 1e6}M traces recorded`, t / 1e6, pr.xrayTracesPerMillion)], [`traced by: ${tracing.slice(0, 5).join(", ")}${tracing.length > 5 ? ", ..." : ""}`]));
    }
    return lines;
}

// ---------------------------------------------------------------------------------------------
// Budget
// ---------------------------------------------------------------------------------------------

function budgetComparison(run: StackRun, ctx: Ctx, total: number): BudgetComparison {
    const budgets: BudgetInfo[] = ctx
        .ofType("aws:budgets/budget:Budget")
        .map((b) => ({
            name: str(val(b, "name")) ?? b.name,
            limitUsd: num(val(b, "limitAmount")) ?? NaN,
            timeUnit: str(val(b, "timeUnit")) ?? "MONTHLY",
            budgetType: str(val(b, "budgetType")) ?? "COST",
            unit: str(val(b, "limitUnit")) ?? "USD",
        }))
        .filter((b) => b.budgetType === "COST" && b.timeUnit === "MONTHLY" && b.unit === "USD" && Number.isFinite(b.limitUsd))
        .map(({ name, limitUsd, timeUnit, budgetType }) => ({ name, limitUsd, timeUnit, budgetType }));
    const compare = (source: BudgetComparison["source"], limit: number, name?: string): BudgetComparison => ({
        source,
        name,
        limitUsd: limit,
        estimateUsd: total,
        headroomUsd: limit - total,
        percentOfBudget: limit > 0 ? (total / limit) * 100 : Infinity,
        status: total > limit ? "over" : "under",
        budgets,
    });
    if (budgets.length > 0) {
        if (budgets.length > 1) ctx.warnings.push(`${budgets.length} monthly cost budgets in the graph; compared with the first (${budgets[0].name})`);
        return compare("aws:budgets/budget:Budget", budgets[0].limitUsd, budgets[0].name);
    }
    let monitoring: any = {};
    try {
        monitoring = JSON.parse(run.config["platform:monitoring"] ?? "{}");
    } catch {
        ctx.warnings.push("platform:monitoring is not JSON; budget not read");
    }
    const fromConfig = num(monitoring?.budget?.monthlyUsd);
    if (fromConfig !== undefined) return compare("config:platform:monitoring.budget.monthlyUsd", fromConfig);
    return { source: "none", estimateUsd: total, status: "no-budget", budgets };
}

// ---------------------------------------------------------------------------------------------
// estimateCost
// ---------------------------------------------------------------------------------------------

/**
 * Monthly cost estimate of one stack's resource graph.
 *
 * @param run the offline run (tools/offline/run.ts `runStack`), or a hand-built graph in tests
 * @param assumptionsOverride merged over `platform:cost` from the run's config before defaults apply
 */
export function estimateCost(
    run: StackRun,
    assumptionsOverride?: DeepPartial<CostAssumptionsInput>,
    options: EstimateOptions = {},
): CostReport {
    const table = options.priceTable ?? PRICE_TABLE;
    const a = assumptionsFromConfig(run.config ?? {}, assumptionsOverride);
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const typeIndex = new Map<string, RecordedResource[]>();
    for (const r of run.resources) {
        const list = typeIndex.get(r.type) ?? [];
        list.push(r);
        typeIndex.set(r.type, list);
    }
    // `provider` is the provider's URN (the engine's reference form "<urn>::<id>" is accepted too).
    const providerRegion = (r: RecordedResource): string | undefined => {
        if (!r.provider) return undefined;
        const p = byUrn.get(r.provider) ?? run.resources.find((x) => r.provider!.startsWith(`${x.urn}::`));
        return str(p?.inputs?.region);
    };
    const configRegion = str(run.config?.["aws:region"]);
    const firstProvider = run.resources.find((r) => r.type === "pulumi:providers:aws" && str(r.inputs?.region));
    const mainRegion = configRegion ?? str(firstProvider?.inputs?.region) ?? DEFAULT_REGION;
    const ctx: Ctx = {
        run,
        a,
        table,
        byUrn,
        ofType: (t) => typeIndex.get(t) ?? [],
        regionOf: (r) => r.region ?? providerRegion(r) ?? mainRegion,
        warnings: [],
    };

    const componentOf = (r: RecordedResource): string => {
        let top: RecordedResource | undefined;
        let cur = r.parent;
        const seen = new Set<string>();
        while (cur && !seen.has(cur)) {
            seen.add(cur);
            const p = byUrn.get(cur);
            if (!p) break;
            if (!p.custom && p.type.startsWith("platform:")) top = p;
            cur = p.parent;
        }
        return top ? `${top.name} (${top.type})` : "(no component)";
    };

    const lines: CostLine[] = [];
    const notPriced: NotPricedResource[] = [];
    const free = new Map<string, { count: number; reason: string }>();
    for (const r of run.resources) {
        if (!r.custom) continue; // components and the stack: structure only
        const formula = FORMULAS[r.type];
        const region = ctx.regionOf(r);
        const component = componentOf(r);
        if (!formula) {
            const reason = freeReason(r.type);
            if (reason !== undefined) {
                const f = free.get(r.type) ?? { count: 0, reason };
                f.count++;
                free.set(r.type, f);
            } else {
                notPriced.push({ urn: r.urn, name: r.name, type: r.type, component, region, reason: "no formula for this resource type (it may cost money)" });
            }
            continue;
        }
        const pr = table.regions[region];
        if (!pr) {
            notPriced.push({ urn: r.urn, name: r.name, type: r.type, component, region, reason: `no price table for region ${region}` });
            continue;
        }
        const result = formula(r, pr, ctx);
        if ("notPriced" in result) {
            notPriced.push({ urn: r.urn, name: r.name, type: r.type, component, region, reason: result.notPriced });
            continue;
        }
        const total = result.items.reduce((t, i) => t + i.monthlyUsd, 0);
        lines.push({
            urn: r.urn,
            name: r.name,
            type: r.type,
            component,
            region,
            monthlyUsd: total,
            atMinimumUsd: result.atMinimumUsd ?? total,
            items: result.items,
            notes: result.notes ?? [],
        });
    }
    lines.push(...usageLines(ctx, mainRegion));

    const group = (key: (l: CostLine) => string): CostGroup[] => {
        const m = new Map<string, CostGroup>();
        for (const l of lines) {
            const k = key(l);
            const g = m.get(k) ?? { key: k, monthlyUsd: 0, atMinimumUsd: 0, resources: 0 };
            g.monthlyUsd += l.monthlyUsd;
            g.atMinimumUsd += l.atMinimumUsd;
            g.resources++;
            m.set(k, g);
        }
        return [...m.values()].sort((x, y) => y.monthlyUsd - x.monthlyUsd || x.key.localeCompare(y.key));
    };
    const totalMonthlyUsd = lines.reduce((t, l) => t + l.monthlyUsd, 0);
    const totalAtMinimumUsd = lines.reduce((t, l) => t + l.atMinimumUsd, 0);
    if (ctx.ofType("aws:ecs/cluster:Cluster").some((c) => arr(val(c, "settings")).some((s: any) => s?.name === "containerInsights" && s?.value !== "disabled"))) {
        ctx.warnings.push("ECS Container Insights is enabled: its metrics and performance logs are billed as CloudWatch custom metrics/logs and are not priced separately");
    }
    return {
        project: run.project,
        stack: run.stack,
        currency: "USD",
        mainRegion,
        priceTable: { version: table.version, asOf: table.asOf, sourceNotes: table.sourceNotes },
        totalMonthlyUsd,
        totalAtMinimumUsd,
        byComponent: group((l) => l.component),
        byType: group((l) => l.type),
        lines: lines.sort((x, y) => y.monthlyUsd - x.monthlyUsd),
        notPriced,
        free: [...free.entries()].map(([type, f]) => ({ type, count: f.count, reason: f.reason })).sort((x, y) => x.type.localeCompare(y.type)),
        assumptions: a,
        budget: budgetComparison(run, ctx, totalMonthlyUsd),
        warnings: ctx.warnings,
        notModelled: NOT_MODELLED,
    };
}

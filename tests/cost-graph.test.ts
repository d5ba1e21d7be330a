/**
 * The cost model over a graph recorded from a real Pulumi program under the offline mocks (not a
 * hand-built one): the correlations the formulas rely on (service -> task definition ARN,
 * scheduled action resourceId -> service name, cluster instance -> cluster id, provider -> region,
 * component parent chain, budget) hold for the ids and ARNs the mocks produce.
 */
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { estimateCost } from "../cost";
import type { CostReport } from "../cost";
import { runProgram } from "../tools/offline/run";

const WEEKDAY_HOURS = (50 * 730) / 168;

class Tier extends pulumi.ComponentResource {
    constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
    }
}

function program(withDevSchedule: boolean) {
    return () => {
        const main = new aws.Provider("main", { region: "ap-northeast-1" });
        const dr = new aws.Provider("dr", { region: "us-west-2" });
        const compute = new Tier("platform:compute:Compute", "compute", { provider: main });
        const service = new Tier("platform:compute:WebService", "api", { parent: compute, provider: main });
        const cluster = new aws.ecs.Cluster("api-cluster", {}, { parent: service, provider: main });
        const td = new aws.ecs.TaskDefinition(
            "api-task",
            {
                family: "api",
                cpu: "512",
                memory: "1024",
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                containerDefinitions: JSON.stringify([{ name: "app", image: "nginx", essential: true }]),
            },
            { parent: service, provider: main },
        );
        const svc = new aws.ecs.Service(
            "api-service",
            { cluster: cluster.arn, taskDefinition: td.arn, desiredCount: 2, launchType: "FARGATE" },
            { parent: service, provider: main },
        );
        const resourceId = pulumi.interpolate`service/${cluster.name}/${svc.name}`;
        const target = new aws.appautoscaling.Target(
            "api-target",
            { resourceId, scalableDimension: "ecs:service:DesiredCount", serviceNamespace: "ecs", minCapacity: 2, maxCapacity: 4 },
            { parent: service, provider: main },
        );
        if (withDevSchedule) {
            for (const [role, schedule, min, max] of [
                ["stop", "cron(0 19 ? * MON-FRI *)", 0, 0],
                ["start", "cron(0 9 ? * MON-FRI *)", 2, 4],
            ] as const) {
                new aws.appautoscaling.ScheduledAction(
                    `api-${role}`,
                    {
                        resourceId: target.resourceId,
                        scalableDimension: target.scalableDimension,
                        serviceNamespace: target.serviceNamespace,
                        schedule,
                        timezone: "Asia/Tokyo",
                        scalableTargetAction: { minCapacity: min, maxCapacity: max },
                    },
                    { parent: service, provider: main },
                );
            }
        }
        const data = new Tier("platform:data:DataTier", "data", { provider: main });
        const db = new aws.rds.Cluster(
            "db",
            {
                engine: "aurora-postgresql",
                engineVersion: "16.4",
                masterUsername: "app",
                manageMasterUserPassword: true,
                storageEncrypted: true,
                serverlessv2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 2 },
            },
            { parent: data, provider: main },
        );
        new aws.rds.ClusterInstance("db-1", { clusterIdentifier: db.id, instanceClass: "db.serverless", engine: "aurora-postgresql" }, { parent: data, provider: main });
        new aws.ec2.NatGateway("dr-nat", { subnetId: "subnet-123", allocationId: "eipalloc-123" }, { parent: data, provider: dr });
        new aws.budgets.Budget("monthly", { budgetType: "COST", timeUnit: "MONTHLY", limitAmount: "200", limitUnit: "USD" }, { provider: main });
        return {};
    };
}

describe("cost model over a recorded program graph", () => {
    let always: CostReport;
    let scheduled: CostReport;
    before(async () => {
        const quiet = { metrics: { customMetrics: 0 }, logs: { ingestedGb: 0 }, xray: { tracesPerMonth: 0 } };
        always = estimateCost(await runProgram({ stack: "test", config: { "aws:region": "ap-northeast-1" }, program: program(false) }), quiet);
        scheduled = estimateCost(await runProgram({ stack: "test", config: { "aws:region": "ap-northeast-1" }, program: program(true) }), quiet);
    });

    const line = (r: CostReport, name: string) => {
        const l = r.lines.find((x) => x.name === name);
        assert.ok(l, `no line ${name}: ${r.lines.map((x) => x.name).join(", ")}; not priced: ${JSON.stringify(r.notPriced)}`);
        return l;
    };

    it("prices the Fargate service from its task definition's ARN (2 tasks x 730 h)", () => {
        const l = line(always, "api-service");
        const expected = 2 * 730 * (0.5 * 0.05056 + 1 * 0.00553);
        assert.ok(Math.abs(l.monthlyUsd - expected) < 0.01, `${l.monthlyUsd} vs ${expected}`);
    });

    it("the dev schedule found through the interpolated resourceId cuts the service to weekday hours", () => {
        const l = line(scheduled, "api-service");
        const expected = 2 * WEEKDAY_HOURS * (0.5 * 0.05056 + 1 * 0.00553);
        assert.ok(Math.abs(l.monthlyUsd - expected) < 0.01, `${l.monthlyUsd} vs ${expected}; notes ${l.notes.join(" | ")}`);
        assert.ok(scheduled.totalMonthlyUsd < always.totalMonthlyUsd);
    });

    it("finds the Aurora cluster's scaling configuration through the instance's clusterIdentifier", () => {
        const l = line(always, "db-1");
        assert.ok(Math.abs(l.monthlyUsd - 730 * 0.2) < 0.01, String(l.monthlyUsd));
        assert.ok(Math.abs(l.atMinimumUsd - 0.5 * 730 * 0.2) < 0.01, String(l.atMinimumUsd));
    });

    it("prices a resource by its provider's region", () => {
        const l = line(always, "dr-nat");
        assert.strictEqual(l.region, "us-west-2");
        assert.ok(l.items.some((i) => i.unitUsd === 0.045));
    });

    it("attributes cost to the top-level platform components and compares with the graph's budget", () => {
        const components = always.byComponent.map((g) => g.key).sort();
        assert.deepStrictEqual(components, ["compute (platform:compute:Compute)", "data (platform:data:DataTier)"]);
        assert.strictEqual(always.budget.source, "aws:budgets/budget:Budget");
        assert.strictEqual(always.budget.limitUsd, 200);
        assert.strictEqual(always.budget.status, "over");
        assert.deepStrictEqual(always.notPriced, []);
    });
});

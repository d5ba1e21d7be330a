/** Fake upstream tier outputs for the monitoring tests (plain values wrapped as Outputs). */
import * as pulumi from "@pulumi/pulumi";
import type { ComputeOutputs, DataOutputs, EdgeOutputs, FunctionRef, LogGroupRef, ServiceRef } from "../components/contracts";

const o = <T>(v: T) => pulumi.output(v);

// ---------------------------------------------------------------------------------------------
export function fakeService(name: string, over: Partial<ServiceRef> = {}): ServiceRef {
    return { name, serviceName: o(`svc-${name}`), targetGroupArnSuffix: o(`targetgroup/${name}/abc`), minTasks: 2, maxTasks: 4, cpu: 1024, memory: 2048, kind: "web", ...over };
}
export function fakeFunction(name: string, timeoutSeconds = 30): FunctionRef {
    return { name, functionName: o(`fn-${name}`), arn: o(`arn:aws:lambda:ap-northeast-1:123456789012:function:fn-${name}`), invokeArn: o("invoke"), timeoutSeconds, memoryMb: 512 };
}
export function fakeLogGroup(owner: string, kind: LogGroupRef["kind"]): LogGroupRef {
    return { name: o(`/platform/${kind}/${owner}`), arn: o(`arn:aws:logs:ap-northeast-1:123456789012:log-group:/platform/${kind}/${owner}`), kind, owner };
}
export function fakeCompute(over: Partial<ComputeOutputs> = {}): Partial<ComputeOutputs> {
    return {
        cluster: { name: o("cluster-1"), arn: o("arn:aws:ecs:ap-northeast-1:123456789012:cluster/cluster-1") },
        alb: { arn: o("arn:alb"), arnSuffix: o("app/alb/123"), dnsName: o("alb.example"), zoneId: o("Z1"), listenerArn: o("arn:listener"), originProtocol: "https-only" },
        services: { api: fakeService("api"), worker: fakeService("worker", { kind: "worker", targetGroupArnSuffix: undefined, minTasks: 1 }) },
        functions: { ingest: fakeFunction("ingest", 900), query: fakeFunction("query", 30) },
        queues: { ingest: { name: "ingest", queueName: o("q-ingest"), arn: o("arn:q"), url: o("https://q"), dlqName: o("q-ingest-dlq"), dlqArn: o("arn:dlq") } },
        topics: {},
        stateMachines: { pipeline: { arn: o("arn:aws:states:ap-northeast-1:123456789012:stateMachine:pipeline"), name: o("pipeline") } },
        logGroups: [fakeLogGroup("api", "application"), fakeLogGroup("query", "application"), fakeLogGroup("alb", "access")],
        ...over,
    };
}
export function fakeData(over: Partial<DataOutputs> = {}): Partial<DataOutputs> {
    return {
        database: {
            clusterIdentifier: o("db-cluster"),
            clusterArn: o("arn:aws:rds:ap-northeast-1:123456789012:cluster:db-cluster"),
            clusterResourceId: o("cluster-ABC"),
            instanceIdentifiers: [o("db-1"), o("db-2")],
            endpoint: o("db.example"),
            readerEndpoint: o("db-ro.example"),
            port: 5432,
            databaseName: "app",
            masterSecretArn: o("arn:secret"),
            minCapacity: 0.5,
            maxCapacity: 2,
        },
        cache: { replicationGroupId: o("redis"), memberClusterIds: o(["redis-001", "redis-002"]), primaryEndpoint: o("p"), readerEndpoint: o("r"), port: 6379, authSecretArn: o("arn:secret") },
        logGroups: [fakeLogGroup("aurora", "database")],
        ...over,
    };
}
export function fakeEdge(over: Partial<EdgeOutputs> = {}): Partial<EdgeOutputs> {
    return {
        distribution: { id: o("E123"), arn: o("arn:aws:cloudfront::123456789012:distribution/E123"), domainName: o("d.cloudfront.net") },
        api: { id: o("abc"), name: o("test-api"), stageName: "v1", url: o("https://api") },
        logGroups: [],
        ...over,
    };
}

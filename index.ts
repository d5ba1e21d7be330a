/**
 * Composition root: load and validate the stack configuration, then build the platform.
 * A bad configuration throws before any resource is registered.
 */
import { loadStackConfig } from "./components/config";
import { createPlatform } from "./components/platform";
import { tunePulumiRuntime } from "./components/startup/promise-stacks";

// Before any resource: the SDK's per-promise stack capture is skipped unless something reads it
// (components/startup/promise-stacks.ts; docs/performance.md has the numbers).
tunePulumiRuntime();

const cfg = loadStackConfig();
const platform = createPlatform(cfg);

export const environment = cfg.environment;
export const region = cfg.region;
export const vpcId = platform.network.vpcId;
export const publicSubnetIds = platform.network.publicSubnetIds;
export const privateSubnetIds = platform.network.privateSubnetIds;
export const dataSubnetIds = platform.network.dataSubnetIds;
export const securityGroupIds = platform.network.securityGroupIds;
export const logsKeyArn = platform.logsKey.arn;
// Optional parts of the data tier export null when switched off (undefined would be dropped with a warning).
export const databaseEndpoint = platform.data.database?.endpoint ?? null;
export const databaseReaderEndpoint = platform.data.database?.readerEndpoint ?? null;
export const databaseSecretArn = platform.data.database?.masterSecretArn ?? null;
export const cachePrimaryEndpoint = platform.data.cache?.primaryEndpoint ?? null;
export const auroraClusterIdentifier = platform.data.database?.clusterIdentifier ?? null;
export const redisReplicationGroupId = platform.data.cache?.replicationGroupId ?? null;
export const backupVaultName = platform.data.backup?.vaultName ?? null;
export const drBackupVaultArn = platform.data.backup?.drVaultArn ?? null;
export const dynamodbTableNames = Object.fromEntries(Object.entries(platform.data.tables).map(([k, t]) => [k, t.name]));
export const bucketNames = Object.fromEntries(Object.entries(platform.data.buckets).map(([k, b]) => [k, b.name]));
export const secretArns = Object.fromEntries(Object.entries(platform.data.secrets).map(([k, s]) => [k, s.arn]));
// Compute tier: entry points and names for deployments and operations.
export const albDnsName = platform.compute.alb?.dnsName ?? null;
export const ecsClusterName = platform.compute.cluster.name;
export const ecrRepositoryUrls = platform.compute.repositoryUrls;
export const functionNames = Object.fromEntries(Object.entries(platform.compute.functions).map(([k, f]) => [k, f.functionName]));
export const queueUrls = Object.fromEntries(Object.entries(platform.compute.queues).map(([k, q]) => [k, q.url]));
export const stateMachineArns = Object.fromEntries(Object.entries(platform.compute.stateMachines).map(([k, s]) => [k, s.arn]));
// Edge tier: the public entry points and the ids the web app needs.
export const siteUrl = platform.edge.siteUrl;
export const distributionId = platform.edge.distribution.id;
export const distributionDomainName = platform.edge.distribution.domainName;
export const apiUrl = platform.edge.api?.url ?? null;
export const apiStageName = platform.edge.api?.stageName ?? null;
export const userPoolId = platform.edge.userPool.id;
export const userPoolClientId = platform.edge.userPool.clientId;
export const identityPoolId = platform.edge.identityPoolId;
export const authDomainUrl = platform.edge.authDomainUrl;
export const webAclArn = platform.edge.webAclArn;
export const alarmTopicArn = platform.monitoring.alarmTopicArn;
export const dashboardNames = platform.monitoring.dashboardNames;
export const trailArn = platform.monitoring.trailArn ?? null;
export const budgetName = platform.monitoring.budgetName;

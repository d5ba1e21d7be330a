/**
 * Composition root: load and validate the stack configuration, then build the platform.
 * A bad configuration throws before any resource is registered.
 */
import { loadStackConfig } from "./components/config";
import { createPlatform } from "./components/platform";

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
export const databaseEndpoint = platform.data.database?.endpoint;
export const databaseReaderEndpoint = platform.data.database?.readerEndpoint;
export const databaseSecretArn = platform.data.database?.masterSecretArn;
export const cachePrimaryEndpoint = platform.data.cache?.primaryEndpoint;
export const auroraClusterIdentifier = platform.data.database?.clusterIdentifier;
export const redisReplicationGroupId = platform.data.cache?.replicationGroupId;
export const backupVaultName = platform.data.backup?.vaultName;
export const drBackupVaultArn = platform.data.backup?.drVaultArn;
export const dynamodbTableNames = Object.fromEntries(Object.entries(platform.data.tables).map(([k, t]) => [k, t.name]));
export const bucketNames = Object.fromEntries(Object.entries(platform.data.buckets).map(([k, b]) => [k, b.name]));
export const secretArns = Object.fromEntries(Object.entries(platform.data.secrets).map(([k, s]) => [k, s.arn]));

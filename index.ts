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

export { auroraCluster, bucket, CMK, doc, ECS_TRUST, tlsOnlyPolicy, vpc } from "../fixtures";
export { UNKNOWN as UNKNOWN_ARN } from "../harness";

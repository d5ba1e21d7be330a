import { PolicyCase } from "../harness";
import { auroraCluster, bucket, CMK } from "./common";
import { PROD_TAGS } from "./resilience";

export const dataProtectionCases: PolicyCase[] = [
    // prod-stateful-protected
    { policy: "prod-stateful-protected", title: "protected prod cluster", violates: false, defaultTags: PROD_TAGS, build: (g) => void auroraCluster(g) },
    { policy: "prod-stateful-protected", title: "unprotected prod bucket", violates: true, defaultTags: PROD_TAGS, expectMessage: "aws:s3/bucket:Bucket 'assets'", build: (g) => void bucket(g, "assets") },
    { policy: "prod-stateful-protected", title: "unprotected dev table", violates: false, build: (g) => void g.add("aws:dynamodb/table:Table", "t", {}) },
    {
        policy: "prod-stateful-protected",
        title: "environment: prod in config applies it to a stack tagged dev",
        violates: true,
        config: { "prod-stateful-protected": { environment: "prod" } },
        build: (g) => void g.add("aws:kms/key:Key", "k", { enableKeyRotation: true }),
    },
    // rds-final-snapshot
    { policy: "rds-final-snapshot", title: "prod with final snapshot", violates: false, defaultTags: PROD_TAGS, build: (g) => void auroraCluster(g) },
    { policy: "rds-final-snapshot", title: "prod skipping the final snapshot", violates: true, defaultTags: PROD_TAGS, build: (g) => void auroraCluster(g, "db", { skipFinalSnapshot: true }) },
    // dynamodb-deletion-protection
    { policy: "dynamodb-deletion-protection", title: "prod table protected", violates: false, defaultTags: PROD_TAGS, build: (g) => void g.add("aws:dynamodb/table:Table", "t", { deletionProtectionEnabled: true }) },
    { policy: "dynamodb-deletion-protection", title: "prod table unprotected", violates: true, defaultTags: PROD_TAGS, build: (g) => void g.add("aws:dynamodb/table:Table", "t", {}) },
    // s3-block-public-access
    { policy: "s3-block-public-access", title: "all four settings true", violates: false, build: (g) => void bucket(g, "b") },
    { policy: "s3-block-public-access", title: "no public access block", violates: true, build: (g) => void bucket(g, "b", { publicAccessBlock: false }) },
    {
        policy: "s3-block-public-access",
        title: "blockPublicPolicy false",
        violates: true,
        build: (g) => void bucket(g, "b", { publicAccessBlock: { bucket: "b-bkt", blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: true } }),
    },
    // s3-no-public-acl
    { policy: "s3-no-public-acl", title: "private ACL", violates: false, build: (g) => void g.add("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", acl: "private" }) },
    { policy: "s3-no-public-acl", title: "public-read ACL", violates: true, build: (g) => void g.add("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", acl: "public-read" }) },
    // secret-rotation
    {
        policy: "secret-rotation",
        title: "secret with rotation",
        violates: false,
        build: (g) => {
            const s = g.add("aws:secretsmanager/secret:Secret", "api-key", { kmsKeyId: CMK });
            g.add("aws:secretsmanager/secretRotation:SecretRotation", "api-key-rotation", { secretId: s.state.id, rotationRules: { automaticallyAfterDays: 30 } });
        },
    },
    { policy: "secret-rotation", title: "secret without rotation", violates: true, level: "advisory", build: (g) => void g.add("aws:secretsmanager/secret:Secret", "api-key", { kmsKeyId: CMK }) },
    { policy: "secret-rotation", title: "config exemptSecrets", violates: false, config: { "secret-rotation": { exemptSecrets: ["api-key"] } }, build: (g) => void g.add("aws:secretsmanager/secret:Secret", "api-key", { kmsKeyId: CMK }) },
    // ecr-image-integrity
    { policy: "ecr-image-integrity", title: "scan on push, immutable", violates: false, build: (g) => void g.add("aws:ecr/repository:Repository", "app", { imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE" }) },
    { policy: "ecr-image-integrity", title: "mutable tags", violates: true, build: (g) => void g.add("aws:ecr/repository:Repository", "app", { imageScanningConfiguration: { scanOnPush: true } }) },
];

import { PolicyCase } from "../harness";

export const taggingCases: PolicyCase[] = [
    { policy: "required-tags", title: "provider default tags reach tagsAll", violates: false, build: (g) => void g.add("aws:sqs/queue:Queue", "q", { sqsManagedSseEnabled: true }) },
    {
        policy: "required-tags",
        title: "provider without default tags, resource tags complete",
        violates: false,
        defaultTags: null,
        build: (g) => void g.add("aws:sqs/queue:Queue", "q", { tags: { Environment: "dev", Project: "p", Owner: "o", ManagedBy: "pulumi" } }),
    },
    { policy: "required-tags", title: "provider without default tags", violates: true, defaultTags: null, expectMessage: "Environment, Project, Owner, ManagedBy", build: (g) => void g.add("aws:sqs/queue:Queue", "q", {}) },
    {
        policy: "required-tags",
        title: "default tags lack Owner; resource tags do not add it",
        violates: true,
        defaultTags: { Environment: "dev", Project: "p", ManagedBy: "pulumi" },
        expectMessage: "Missing required tags: Owner",
        build: (g) => void g.add("aws:s3/bucket:Bucket", "b", { tags: { Name: "b" } }),
    },
    {
        policy: "required-tags",
        title: "empty tag value counts as missing",
        violates: true,
        build: (g) => void g.add("aws:sqs/queue:Queue", "q", { tags: { Owner: "" } }),
    },
    {
        policy: "required-tags",
        title: "config: custom required tag list adds CostCenter",
        violates: true,
        config: { "required-tags": { requiredTags: ["Environment", "CostCenter"] } },
        expectMessage: "CostCenter",
        build: (g) => void g.add("aws:sqs/queue:Queue", "q", {}),
    },
    {
        policy: "required-tags",
        title: "non-taggable types are not checked (security group rule)",
        violates: false,
        defaultTags: null,
        build: (g) => void g.add("aws:ec2/securityGroupRule:SecurityGroupRule", "r", { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"], securityGroupId: "sg-1" }),
    },
    { policy: "environment-tag-value", title: "Environment=dev", violates: false, build: (g) => void g.add("aws:sqs/queue:Queue", "q", {}) },
    {
        policy: "environment-tag-value",
        title: "Environment=production is not a known environment",
        violates: true,
        defaultTags: { Environment: "production", Project: "p", Owner: "o", ManagedBy: "pulumi" },
        build: (g) => void g.add("aws:sqs/queue:Queue", "q", {}),
    },
    {
        policy: "environment-tag-value",
        title: "config: allowedEnvironments extended with qa",
        violates: false,
        config: { "environment-tag-value": { allowedEnvironments: ["dev", "qa", "staging", "prod"] } },
        defaultTags: { Environment: "qa", Project: "p", Owner: "o", ManagedBy: "pulumi" },
        build: (g) => void g.add("aws:sqs/queue:Queue", "q", {}),
    },
];

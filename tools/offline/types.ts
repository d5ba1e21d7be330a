/**
 * The shape of one resource as the offline runner records it from a mocked program run.
 *
 * This is the contract between the program run under mocks (tools/offline/run.ts) and everything
 * that reads the resource graph offline: the tests, the offline policy preview (policypack/offline),
 * the URN snapshot and the cost model. It mirrors what the Pulumi engine knows about a resource
 * during `pulumi preview`: its URN, type, logical name, the inputs the provider receives, its
 * parent and provider, and the resource options that matter for review.
 */
export interface RecordedResource {
    /** `urn:pulumi:<stack>::<project>::<qualified type chain>::<name>`, exactly as the engine builds it. */
    urn: string;
    /** Type token, for example `aws:s3/bucket:Bucket`, `pulumi:providers:aws`, `platform:network:Network`. */
    type: string;
    /** Logical name (the second constructor argument). */
    name: string;
    /** True for provider-managed (custom) resources, false for components. */
    custom: boolean;
    /** Resolved inputs as the provider would receive them (Outputs already resolved). */
    inputs: Record<string, any>;
    /** The mocked output state (inputs plus computed ids/arns/names). */
    state: Record<string, any>;
    /** URN of the parent resource (the stack for top-level resources). */
    parent?: string;
    /** URN of the provider resource used for custom resources (undefined for components). */
    provider?: string;
    /** Region the resource lives in (from its provider), for custom AWS resources. */
    region?: string;
    /** Resource options relevant to review and data safety. */
    options: RecordedOptions;
    /**
     * For each input property, the URNs of the resources its value came from (what the engine
     * passes to stack policies as `propertyDependencies`; correlates resources when ids are unknown).
     */
    propertyDependencies: Record<string, string[]>;
}

export interface RecordedOptions {
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    /** Number of aliases declared (a moved resource keeps its identity through these). */
    aliases: number;
    /** URNs of explicit dependsOn resources that are known at registration time. */
    dependsOn: string[];
    additionalSecretOutputs: string[];
    replaceOnChanges: string[];
}

/** Everything one offline run of the program for one stack produced. */
export interface StackRun {
    project: string;
    stack: string;
    /** Every registered resource in registration order, the root stack resource included. */
    resources: RecordedResource[];
    /** The program's stack outputs, resolved. */
    outputs: Record<string, any>;
    /** The flat config map the program saw (`platform:network` -> JSON text, secrets replaced). */
    config: Record<string, string>;
}

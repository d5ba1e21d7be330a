/**
 * DynamoDB tables as data: the five tables of seed 000 (INFRA-001), their validation, and the
 * pure helpers the Tables component uses (physical names, key schemas, autoscaling targets).
 */

export const ATTRIBUTE_TYPES = ["S", "N", "B"] as const;

export interface CapacityRange {
    readonly min: number;
    readonly max: number;
}

export interface GsiSpec {
    readonly name: string;
    readonly partitionKey: string;
    readonly sortKey?: string;
    readonly projection: "ALL" | "KEYS_ONLY";
}

export interface TableSpec {
    /** Attribute name -> type (S, N or B); only key attributes belong here. */
    readonly attributes: Readonly<Record<string, string>>;
    readonly partitionKey: string;
    readonly sortKey?: string;
    readonly gsis: readonly GsiSpec[];
    readonly ttl?: { readonly attribute: string; readonly days: number };
    readonly stream?: "NEW_IMAGE" | "OLD_IMAGE" | "NEW_AND_OLD_IMAGES" | "KEYS_ONLY";
    readonly billingMode?: "onDemand" | "provisioned";
    readonly read?: CapacityRange;
    readonly write?: CapacityRange;
}

const DAY = 1;
const YEAR = 365 * DAY;

/** Seed 000 INFRA-001: Documents, ChatSessions, ProcessingHistory, Prompts, UserSessions. */
export const DEFAULT_TABLES: Readonly<Record<string, TableSpec>> = {
    documents: {
        attributes: { documentId: "S", category: "S", uploadedAt: "S" },
        partitionKey: "documentId",
        gsis: [{ name: "category-uploadedAt-index", partitionKey: "category", sortKey: "uploadedAt", projection: "ALL" }],
    },
    chatSessions: {
        attributes: { sessionId: "S", messageIndex: "N" },
        partitionKey: "sessionId",
        sortKey: "messageIndex",
        gsis: [],
        ttl: { attribute: "ttl", days: 30 * DAY },
    },
    processingHistory: {
        attributes: { executionId: "S" },
        partitionKey: "executionId",
        gsis: [],
        ttl: { attribute: "ttl", days: 2 * YEAR },
    },
    prompts: {
        attributes: { promptKey: "S", version: "N" },
        partitionKey: "promptKey",
        sortKey: "version",
        gsis: [],
    },
    userSessions: {
        attributes: { userId: "S", sessionId: "S", timestamp: "N" },
        partitionKey: "userId",
        sortKey: "sessionId",
        gsis: [{ name: "userId-timestamp-index", partitionKey: "userId", sortKey: "timestamp", projection: "ALL" }],
    },
};

export interface SpecProblem {
    /** Path below the entry, e.g. `.gsis[0].sortKey`. */
    path: string;
    message: string;
}

/** Semantic checks DynamoDB would otherwise reject at deploy time. */
export function checkTable(t: TableSpec): SpecProblem[] {
    const problems: SpecProblem[] = [];
    const declared = Object.keys(t.attributes);
    for (const [attr, type] of Object.entries(t.attributes)) {
        if (!(ATTRIBUTE_TYPES as readonly string[]).includes(type)) {
            problems.push({ path: `.attributes.${attr}`, message: `unknown attribute type ${JSON.stringify(type)}; expected S (string), N (number) or B (binary)` });
        }
    }
    const used = new Set<string>();
    const key = (path: string, attr: string | undefined, what: string) => {
        if (attr === undefined) {
            return;
        }
        used.add(attr);
        if (!declared.includes(attr)) {
            problems.push({ path, message: `${what} ${JSON.stringify(attr)} is not declared in attributes; expected one of ${declared.join(", ") || "(none)"} or add it with its type` });
        }
    };
    key(".partitionKey", t.partitionKey, "partition key");
    key(".sortKey", t.sortKey, "sort key");
    if (t.sortKey !== undefined && t.sortKey === t.partitionKey) {
        problems.push({ path: ".sortKey", message: "sort key must differ from the partition key" });
    }
    const names = new Set<string>();
    t.gsis.forEach((g, i) => {
        key(`.gsis[${i}].partitionKey`, g.partitionKey, `GSI ${g.name} partition key`);
        key(`.gsis[${i}].sortKey`, g.sortKey, `GSI ${g.name} sort key`);
        if (names.has(g.name)) {
            problems.push({ path: `.gsis[${i}].name`, message: `duplicate index name ${g.name}` });
        }
        names.add(g.name);
    });
    if (t.gsis.length > 20) {
        problems.push({ path: ".gsis", message: `a table has at most 20 global secondary indexes, got ${t.gsis.length}` });
    }
    for (const attr of declared) {
        if (!used.has(attr)) {
            problems.push({ path: `.attributes.${attr}`, message: `attribute ${attr} is not used by any key or index; DynamoDB only accepts key attributes here (remove it)` });
        }
    }
    if (t.ttl && declared.includes(t.ttl.attribute)) {
        problems.push({ path: ".ttl.attribute", message: `TTL attribute ${t.ttl.attribute} must not be a key attribute` });
    }
    return problems;
}

/** `documents` -> `<prefix>-documents`, `chatSessions` -> `<prefix>-chat-sessions`. */
export function kebab(key: string): string {
    return key.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

export function tableName(namePrefix: string, key: string): string {
    return `${namePrefix}-${kebab(key)}`;
}

export interface ScalingTarget {
    /** Logical-name suffix, stable: `table-read`, `index-<gsi>-write`. */
    role: string;
    resourceId: string;
    scalableDimension: string;
    metric: "DynamoDBReadCapacityUtilization" | "DynamoDBWriteCapacityUtilization";
    min: number;
    max: number;
}

/** Read and write autoscaling targets for a provisioned table and each of its GSIs. */
export function scalingTargets(physicalName: string, gsis: readonly GsiSpec[], read: CapacityRange, write: CapacityRange): ScalingTarget[] {
    const out: ScalingTarget[] = [];
    const add = (kind: "table" | "index", resourceId: string, rolePrefix: string) => {
        out.push({ role: `${rolePrefix}-read`, resourceId, scalableDimension: `dynamodb:${kind}:ReadCapacityUnits`, metric: "DynamoDBReadCapacityUtilization", ...read });
        out.push({ role: `${rolePrefix}-write`, resourceId, scalableDimension: `dynamodb:${kind}:WriteCapacityUnits`, metric: "DynamoDBWriteCapacityUtilization", ...write });
    };
    add("table", `table/${physicalName}`, "table");
    for (const g of gsis) {
        add("index", `table/${physicalName}/index/${g.name}`, `index-${g.name}`);
    }
    return out;
}

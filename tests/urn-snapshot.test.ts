/**
 * Every stack's URNs against its committed snapshot (tests/snapshots/urns.<stack>.txt).
 *
 * A URN that disappears is a resource the real stack deletes or replaces; a new URN is a resource
 * to review. Both fail until the snapshot is regenerated on purpose (`npm run snapshot:update`):
 * if additions passed, a resource added without updating the snapshot would never be covered, and
 * its later rename would slip through.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { runProgram, stackRun } from "./harness";
import { diffUrns, explainDiff, formatSnapshot, parseSnapshot, parseUrn, repoStacks, similar, snapshotPath, suggestAliases, UPDATE_COMMAND, urnsOf } from "../tools/urn-snapshot";

describe("URN snapshot: every stack matches its committed snapshot", () => {
    const stacks = repoStacks();

    it("the repository has stack files to snapshot", () => {
        assert.ok(stacks.length >= 3, `stacks found: ${stacks.join(", ")}`);
    });

    for (const stack of stacks) {
        it(`${stack}: no URN is gone, none is new`, async () => {
            const file = snapshotPath(stack);
            assert.ok(fs.existsSync(file), `no URN snapshot for stack '${stack}' (${file}); create it with ${UPDATE_COMMAND}`);
            const expected = parseSnapshot(fs.readFileSync(file, "utf8"));
            const diff = diffUrns(expected, urnsOf(await stackRun(stack)));
            if (diff.removed.length + diff.added.length > 0) {
                assert.fail(explainDiff(stack, diff, expected));
            }
        });
    }
});

describe("URN snapshot: what the check reports", () => {
    const P = "urn:pulumi:prod::platform::";
    const cluster = `${P}platform:data:Database$aws:rds/cluster:Cluster::data-db-cluster`;
    const key = `${P}platform:security:KmsKey$aws:kms/key:Key::logs-key-key`;
    const vpc = `${P}platform:network:Network$aws:ec2/vpc:Vpc::network-vpc`;

    it("parses a URN into stack, project, type chain and name", () => {
        assert.deepStrictEqual(parseUrn(cluster), {
            stack: "prod",
            project: "platform",
            qualifiedType: "platform:data:Database$aws:rds/cluster:Cluster",
            type: "aws:rds/cluster:Cluster",
            parentChain: "platform:data:Database",
            name: "data-db-cluster",
        });
        assert.strictEqual(parseUrn(`${P}pulumi:providers:aws::aws-main`).parentChain, "");
        assert.strictEqual(parseUrn(`${P}aws:s3/bucket:Bucket::a::b`).name, "a::b");
        assert.throws(() => parseUrn("arn:aws:s3:::bucket"), /not a Pulumi URN/);
    });

    it("round-trips the snapshot file: sorted URNs under a comment header", () => {
        const text = formatSnapshot("prod", [vpc, cluster, key]);
        assert.ok(text.startsWith("# URN snapshot of stack 'prod'"));
        assert.ok(text.includes(UPDATE_COMMAND));
        assert.deepStrictEqual(parseSnapshot(text), [cluster, key, vpc].sort());
    });

    const cases: { name: string; expected: string[]; actual: string[]; removed: string[]; added: string[]; alias?: string }[] = [
        { name: "nothing changed", expected: [cluster, vpc], actual: [vpc, cluster], removed: [], added: [] },
        { name: "an addition", expected: [vpc], actual: [vpc, cluster], removed: [], added: [cluster] },
        { name: "a deletion", expected: [vpc, cluster], actual: [vpc], removed: [cluster], added: [] },
        {
            name: "a rename (same type and parents)",
            expected: [cluster],
            actual: [`${P}platform:data:Database$aws:rds/cluster:Cluster::data-db-aurora`],
            removed: [cluster],
            added: [`${P}platform:data:Database$aws:rds/cluster:Cluster::data-db-aurora`],
            alias: 'aliases: [{ name: "data-db-cluster" }]',
        },
        {
            name: "a move under another component (same type and name)",
            expected: [cluster],
            actual: [`${P}platform:data:DataTier$platform:data:Database$aws:rds/cluster:Cluster::data-db-cluster`],
            removed: [cluster],
            added: [`${P}platform:data:DataTier$platform:data:Database$aws:rds/cluster:Cluster::data-db-cluster`],
            alias: 'aliases: [{ parent: "<URN of the old platform:data:Database parent>" }]',
        },
        {
            name: "a move from top level into a component",
            expected: [`${P}aws:kms/key:Key::logs-key-key`],
            actual: [key],
            removed: [`${P}aws:kms/key:Key::logs-key-key`],
            added: [key],
            alias: "aliases: [{ parent: pulumi.rootStackResource }]",
        },
    ];
    for (const c of cases) {
        it(`diff: ${c.name}`, () => {
            const diff = diffUrns(c.expected, c.actual);
            assert.deepStrictEqual(diff, { removed: c.removed, added: c.added });
            const aliases = suggestAliases(diff);
            if (c.alias) {
                assert.strictEqual(aliases.length, 1, JSON.stringify(aliases));
                assert.ok(aliases[0].option.startsWith(c.alias), aliases[0].option);
            } else {
                assert.deepStrictEqual(aliases, []);
            }
        });
    }

    it("names the old parent's URN for a move when the snapshot knows it", () => {
        const oldParent = `${P}platform:data:Database::data-db`;
        const moved = `${P}platform:data:DataTier$platform:data:Database$aws:rds/cluster:Cluster::data-db-cluster`;
        const [s] = suggestAliases(diffUrns([cluster], [moved]), [oldParent, cluster, vpc]);
        assert.ok(s.option.startsWith(`aliases: [{ parent: "${oldParent}" }]`), s.option);
    });

    it("pairs by name when several resources of one type changed, and not at all when names are unrelated", () => {
        const B = `${P}platform:data:Buckets$aws:s3/bucket:Bucket::`;
        const renamed = suggestAliases(diffUrns([`${B}data-buckets-flowlogs`, `${B}data-buckets-uploads`], [`${B}data-buckets-flow-logs`, `${B}data-buckets-exports`]));
        assert.deepStrictEqual(renamed.map((a) => [parseUrn(a.removed).name, parseUrn(a.added).name]), [["data-buckets-flowlogs", "data-buckets-flow-logs"]]);
        assert.deepStrictEqual(suggestAliases(diffUrns([`${B}documents`, `${B}uploads`], [`${B}audit-logs`, `${B}exports`])), []);
    });

    const similarity: [string, string, boolean][] = [
        ["network-flowlogs", "network-flow-logs", true],
        ["data-db-writer-1", "data-db-writer-a", true],
        ["data-buckets-docs", "data-buckets-documents", true],
        ["documents", "audit-logs", false],
        ["data-db-cluster", "data-db-aurora", false],
    ];
    for (const [a, b, expected] of similarity) {
        it(`names '${a}' and '${b}' are ${expected ? "" : "not "}similar`, () => assert.strictEqual(similar(a, b), expected));
    }

    it("explains a removal as deletion or replacement and names both ways out", () => {
        const text = explainDiff("prod", { removed: [cluster], added: [`${P}platform:data:Database$aws:rds/cluster:Cluster::data-db-aurora`] });
        for (const part of ["DELETED", "REPLACED", `- ${cluster}`, "+ urn:", 'aliases: [{ name: "data-db-cluster" }]', UPDATE_COMMAND, "tests/snapshots/urns.prod.txt"]) {
            assert.ok(text.includes(part), `missing '${part}' in:\n${text}`);
        }
    });

    it("a renamed child in a real program run changes its URN (so the check can fail)", async () => {
        class Cluster extends pulumi.CustomResource {
            constructor(name: string, opts: pulumi.CustomResourceOptions) {
                super("aws:rds/cluster:Cluster", name, {}, opts);
            }
        }
        class Db extends pulumi.ComponentResource {
            constructor(name: string, child: string) {
                super("platform:data:Database", name, {}, {});
                new Cluster(`${name}-${child}`, { parent: this });
                this.registerOutputs({});
            }
        }
        const before = urnsOf(await runProgram({ stack: "prod", program: () => void new Db("data-db", "cluster") }));
        const after = urnsOf(await runProgram({ stack: "prod", program: () => void new Db("data-db", "aurora") }));
        const diff = diffUrns(before, after);
        assert.deepStrictEqual(diff.removed, [cluster]);
        assert.deepStrictEqual(suggestAliases(diff).map((a) => a.option), ['aliases: [{ name: "data-db-cluster" }]']);
    });
});

/**
 * The stale-build guard of prebuilt runs (tools/bench/build-entry.ts): `npm run build` stamps the
 * sources behind bin/ and writes bin/main.js, which refuses to run a bin/ built from other sources
 * (a stale build would deploy old code). Exercised on a throwaway project in a temp folder, the
 * entry run by a real `node` process, as the language host runs it.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENTRY, entrySource, stampOf, staleSources, writeEntry } from "../tools/bench/build-entry";

function project(): { root: string; out: string; write: (rel: string, text: string) => void } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "prebuilt-guard-"));
    const out = path.join(root, "bin");
    const write = (rel: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text);
    };
    write("index.ts", 'export * from "./components/a";\n');
    write("components/a.ts", "export const answer = 42;\n");
    write("components/a.test.ts", "// tests are not part of the program\n");
    write("tests/x.test.ts", "// neither are these\n");
    write("bin/index.js", '"use strict";\nObject.assign(exports, require("./components/a"));\n');
    write("bin/components/a.js", '"use strict";\nexports.answer = 42;\n');
    write("bin/tests/x.test.js", "");
    return { root, out, write };
}

function runEntry(out: string, env: Record<string, string> = {}) {
    const r = spawnSync(process.execPath, ["-e", `console.log(JSON.stringify(require(${JSON.stringify(path.join(out, ENTRY))})))`], {
        encoding: "utf8",
        env: { ...process.env, PULUMI_ALLOW_STALE_BUILD: "", ...env },
    });
    return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

describe("prebuilt build guard (bin/main.js)", () => {
    const made: string[] = [];
    const fresh = () => {
        const p = project();
        made.push(p.root);
        writeEntry(p.root, p.out);
        return p;
    };
    after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("stamps the program's sources only (no tests, no tools)", () => {
        const p = fresh();
        assert.deepStrictEqual(Object.keys(stampOf(p.root, p.out).files).sort(), ["components/a.ts", "index.ts"]);
    });

    it("runs the program when bin/ matches the sources", () => {
        const p = fresh();
        const r = runEntry(p.out);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual(r.stdout, '{"answer":42}');
    });

    const staleCases: { name: string; change: (p: ReturnType<typeof project>) => void; says: string }[] = [
        { name: "a changed source", change: (p) => p.write("components/a.ts", "export const answer = 43;\n"), says: "components/a.ts (changed)" },
        { name: "a deleted source", change: (p) => fs.rmSync(path.join(p.root, "components/a.ts")), says: "components/a.ts (deleted)" },
        { name: "a new source the build has not seen", change: (p) => p.write("components/b.ts", "export const b = 1;\n"), says: "components/b.ts (new)" },
    ];
    for (const c of staleCases) {
        it(`refuses to run after ${c.name}, and says what to do`, () => {
            const p = fresh();
            c.change(p);
            assert.deepStrictEqual(staleSources(p.root, JSON.parse(fs.readFileSync(path.join(p.out, ".sources.json"), "utf8"))), [c.says]);
            const r = runEntry(p.out);
            assert.notStrictEqual(r.code, 0);
            assert.ok(r.stderr.includes("bin/ was built from other sources") && r.stderr.includes(c.says) && r.stderr.includes("npm run build"), r.stderr);
        });
    }

    it("ignores new test files, and runs a stale build only when told to", () => {
        const p = fresh();
        p.write("components/a.test.ts", "// changed test\n");
        p.write("components/c.test.ts", "// new test\n");
        assert.strictEqual(runEntry(p.out).code, 0);
        p.write("components/a.ts", "export const answer = 7;\n");
        assert.notStrictEqual(runEntry(p.out).code, 0);
        assert.strictEqual(runEntry(p.out, { PULUMI_ALLOW_STALE_BUILD: "true" }).code, 0);
    });

    it("needs a compiled index.js", () => {
        const p = project();
        made.push(p.root);
        fs.rmSync(path.join(p.out, "index.js"));
        assert.throws(() => writeEntry(p.root, p.out), /run tsc first/);
    });

    it("the generated entry is plain JavaScript that Node parses", () => {
        assert.doesNotThrow(() => new Function("require", "module", "__dirname", entrySource("..")));
    });
});

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { loadStackFile, REPO_ROOT, STACKS } from "../tools/offline/run";

/**
 * The CLI validates Pulumi.yaml's `config` block before the program runs: a declared key without
 * a `default` is required in every stack (pulumi/pulumi#21797), `type` must be one the schema
 * accepts, and a namespaced key (`aws:region`) there is a VALUE for every stack, not a
 * declaration. These rules are cheap to break and only show up on a real `pulumi up`.
 */
describe("Pulumi.yaml config declarations work with the real CLI", () => {
    const project = parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"));
    const declared: Record<string, any> = project.config ?? {};

    it("declares no namespaced key (that would set a value for every stack)", () => {
        assert.deepEqual(Object.keys(declared).filter((k) => k.includes(":")), []);
    });

    it("uses only the scalar types every CLI version accepts", () => {
        for (const [key, decl] of Object.entries(declared)) {
            assert.ok(decl.type === undefined || ["string", "integer", "boolean"].includes(decl.type), `${key}: type ${decl.type}`);
        }
    });

    for (const stack of STACKS) {
        it(`Pulumi.${stack}.yaml sets every declared key that has no default`, () => {
            const values = loadStackFile(stack);
            const missing = Object.entries(declared)
                .filter(([, decl]) => decl.default === undefined)
                .map(([key]) => `${project.name}:${key}`)
                .filter((key) => values[key] === undefined);
            assert.deepEqual(missing, [], `the CLI would refuse to run ${stack}: missing ${missing.join(", ")}`);
        });
    }
});

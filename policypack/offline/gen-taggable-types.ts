/**
 * Regenerates `policies/taggable-types.json`: every @pulumi/aws resource type token whose inputs
 * (the `...Args` interface) have a `tags` property. These are the types for which the AWS provider
 * computes `tagsAll` (default tags merged with the resource's tags) during Check, so they are the
 * types the tagging policies require tags on and the offline analyzer adds `tagsAll` to.
 *
 * Run after upgrading @pulumi/aws: `npx ts-node --transpile-only policypack/offline/gen-taggable-types.ts`
 */
import * as fs from "fs";
import * as path from "path";

function walk(dir: string, out: string[]): void {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
            if (e.name !== "node_modules" && e.name !== "types") walk(p, out);
        } else if (e.name.endsWith(".js")) {
            out.push(p);
        }
    }
}

export function taggableTypes(awsRoot: string): string[] {
    const files: string[] = [];
    walk(awsRoot, files);
    const result = new Set<string>();
    for (const js of files) {
        const src = fs.readFileSync(js, "utf8");
        const m = /static __pulumiType = '([^']+)'/.exec(src) ?? /__pulumiType = '([^']+)'/.exec(src);
        if (!m) continue;
        const dts = js.replace(/\.js$/, ".d.ts");
        if (!fs.existsSync(dts)) continue;
        const d = fs.readFileSync(dts, "utf8");
        const args = /export interface \w+Args \{([\s\S]*?)\n\}/.exec(d);
        if (args && /\n\s+tags\?: pulumi\.Input</.test(args[1])) result.add(m[1]);
    }
    return [...result].sort();
}

if (require.main === module) {
    const awsRoot = path.dirname(require.resolve("@pulumi/aws/package.json"));
    const list = taggableTypes(awsRoot);
    const target = path.join(__dirname, "..", "policies", "taggable-types.json");
    fs.writeFileSync(target, JSON.stringify(list, null, 1) + "\n");
    console.log(`${list.length} taggable types written to ${target}`);
}

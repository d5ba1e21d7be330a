/**
 * Smoke test of the pack as the Pulumi CLI starts it: `index.ts` run in the pack directory serves
 * the analyzer over gRPC and prints its port; a real gRPC client (the engine's side) then calls
 * GetAnalyzerInfo, Configure and Analyze on it. Proves index.ts, package.json and the pack's own
 * validation in `serve()` work outside the in-process offline path.
 */
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

const PACK_DIR = path.join(__dirname, "..");

function startPack(): Promise<{ child: ChildProcess; port: number }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        const timer = setTimeout(() => reject(new Error(`the pack printed no port within 60 s\n${err}`)), 60_000);
        child.stdout!.on("data", (d) => {
            out += d;
            const m = /^(\d+)\s*$/m.exec(out);
            if (m) {
                clearTimeout(timer);
                resolve({ child, port: Number(m[1]) });
            }
        });
        child.stderr!.on("data", (d) => (err += d));
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`the pack exited with ${code}\n${err}`));
        });
    });
}

function unary<Req, Res>(fn: (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => fn(req, (e, r) => (e ? reject(e) : resolve(r))));
}

describe("policy pack: served over gRPC like the CLI runs it", function () {
    this.timeout(90_000);
    let child: ChildProcess | undefined;
    let client: AnalyzerClient | undefined;

    before(async () => {
        const started = await startPack();
        child = started.child;
        client = new AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        if (child && child.exitCode === null) {
            child.removeAllListeners("exit");
            child.kill();
        }
    });

    it("GetAnalyzerInfo lists the pack and its policies", async () => {
        const info = await unary<Empty, analyzerproto.AnalyzerInfo>(client!.getAnalyzerInfo.bind(client!), new Empty());
        assert.strictEqual(info.getName(), "platform-policypack");
        assert.ok(info.getPoliciesList().length >= 35);
    });

    it("Configure + Analyze over the wire report a violation with its level", async () => {
        const conf = new analyzerproto.ConfigureAnalyzerRequest();
        const pc = new analyzerproto.PolicyConfig();
        pc.setEnforcementlevel(analyzerproto.EnforcementLevel.ADVISORY);
        pc.setProperties(Struct.fromJavaScript({}));
        conf.getPolicyconfigMap().set("kms-key-rotation", pc);
        await unary(client!.configure.bind(client!), conf);

        const req = new analyzerproto.AnalyzeRequest();
        req.setType("aws:kms/key:Key");
        req.setName("data");
        req.setUrn("urn:pulumi:prod::platform::aws:kms/key:Key::data");
        req.setProperties(Struct.fromJavaScript({ tagsAll: { Environment: "prod", Project: "p", Owner: "o", ManagedBy: "pulumi" } }));
        req.setOptions(new analyzerproto.AnalyzerResourceOptions());
        const resp = await unary<analyzerproto.AnalyzeRequest, analyzerproto.AnalyzeResponse>(client!.analyze.bind(client!), req);
        const byPolicy = new Map(resp.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getEnforcementlevel()]));
        assert.strictEqual(byPolicy.get("kms-key-rotation"), analyzerproto.EnforcementLevel.ADVISORY);
        assert.strictEqual(byPolicy.get("prod-stateful-protected"), analyzerproto.EnforcementLevel.MANDATORY);
    });

    it("unknownAtPreview \"defer\" reaches the served pack: an unknown trust policy gets the framework's advisory; by default it fails closed", async () => {
        const analyzeRole = async (config: Record<string, unknown> | undefined) => {
            const conf = new analyzerproto.ConfigureAnalyzerRequest();
            if (config) {
                const pc = new analyzerproto.PolicyConfig();
                pc.setEnforcementlevel(analyzerproto.EnforcementLevel.MANDATORY);
                pc.setProperties(Struct.fromJavaScript(config as never));
                conf.getPolicyconfigMap().set("iam-trust-policy-principals", pc);
            }
            await unary(client!.configure.bind(client!), conf);
            const req = new analyzerproto.AnalyzeRequest();
            req.setType("aws:iam/role:Role");
            req.setName("authenticated");
            req.setUrn("urn:pulumi:dev::platform::aws:iam/role:Role::authenticated");
            // The engine's sentinel for an unknown string (an identity pool id not created yet).
            req.setProperties(Struct.fromJavaScript({ assumeRolePolicy: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }));
            req.setOptions(new analyzerproto.AnalyzerResourceOptions());
            const resp = await unary<analyzerproto.AnalyzeRequest, analyzerproto.AnalyzeResponse>(client!.analyze.bind(client!), req);
            return resp.getDiagnosticsList().filter((d) => d.getPolicyname() === "iam-trust-policy-principals");
        };
        const deferred = await analyzeRole({ unknownAtPreview: "defer" });
        assert.strictEqual(deferred.length, 1);
        assert.strictEqual(deferred[0].getEnforcementlevel(), analyzerproto.EnforcementLevel.ADVISORY);
        assert.match(deferred[0].getMessage(), /can't run policy 'iam-trust-policy-principals' .* during preview/);
        const failed = await analyzeRole(undefined);
        assert.strictEqual(failed.length, 1);
        assert.strictEqual(failed[0].getEnforcementlevel(), analyzerproto.EnforcementLevel.MANDATORY);
        assert.match(failed[0].getMessage(), /IAM checks fail closed/);
    });
});

// Validates every object of rendered manifests (multi-document YAML files) against the Kubernetes
// API schemas of the npm package kubernetes-models (and the Prometheus Operator's, for the
// ServiceMonitor), offline: no cluster is needed. Checks types, required fields, enums and formats;
// like kubectl without --validate=strict, it does not report unknown fields.
//   node helm/validate-manifests.mjs FILE...     (run by helm/check.sh, with NODE_PATH set)
// Exits 1 naming each invalid object, or an apiVersion/kind it has no schema for.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// The packages live in .tools/node/node_modules (helm/tools.sh), named by NODE_PATH. ES modules
// ignore NODE_PATH, so they are imported by file.
const modules = process.env.NODE_PATH;
const load = (file) => import(pathToFileURL(join(modules, file)));
const { parseAllDocuments } = await load("yaml/dist/index.js");

/** The module of one kind: core "v1" is kubernetes-models/v1, "apps/v1" kubernetes-models/apps/v1. */
function modulePath(apiVersion, kind) {
  if (apiVersion.startsWith("monitoring.coreos.com/")) {
    return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}.js`;
  }
  return `kubernetes-models/${apiVersion}/${kind}.js`;
}

async function validate(object) {
  const { apiVersion, kind } = object;
  let model;
  try {
    model = (await load(modulePath(apiVersion, kind)))[kind];
  } catch {
    throw new Error(`no schema for ${apiVersion} ${kind}`);
  }
  new model(object).validate();
}

// The validator must be able to fail: a Deployment with a string port and no containers' name.
async function selfTest() {
  const broken = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "broken" },
    spec: { selector: {}, template: { spec: { containers: [{ ports: [{ containerPort: "http" }] }] } } } };
  try {
    await validate(broken);
  } catch (e) {
    if (!e.message.startsWith("no schema")) return;
    throw e;
  }
  throw new Error("self-test: a broken Deployment was accepted, so this validator checks nothing");
}

await selfTest();
let failures = 0;
const counts = {};
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      console.error(`${file}: YAML error: ${doc.errors[0].message}`);
      failures++;
      continue;
    }
    const object = doc.toJS();
    if (object == null) continue;
    const name = `${object.kind} ${object.metadata?.name}`;
    try {
      await validate(object);
      counts[object.kind] = (counts[object.kind] ?? 0) + 1;
    } catch (e) {
      console.error(`${file}: ${name}: ${e.message}`);
      failures++;
    }
  }
}
const summary = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ");
console.log(`valid: ${summary || "nothing"}${failures ? `; ${failures} invalid` : ""}`);
process.exit(failures ? 1 : 0);

// Every value of helm/tlswatch/values.yaml is documented in the chart's README table (the value
// itself, or the object it belongs to when that object is documented whole, like `resources`), and
// the README documents no value that does not exist.
//   node helm/values-documented.mjs      (run by helm/check.sh, with NODE_PATH set)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const { parse } = await import(pathToFileURL(join(process.env.NODE_PATH, "yaml/dist/index.js")));
const chart = new URL("tlswatch/", import.meta.url);
const values = parse(readFileSync(new URL("values.yaml", chart), "utf8"));
const documented = new Set([...readFileSync(new URL("README.md", chart), "utf8").matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));

const missing = [];
const known = new Set();
(function walk(object, path) {
  for (const [key, value] of Object.entries(object)) {
    const name = path ? `${path}.${key}` : key;
    known.add(name);
    if (documented.has(name)) continue;
    if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length) walk(value, name);
    else missing.push(name);
  }
})(values, "");
const unknown = [...documented].filter((name) => name !== "Value" && !known.has(name));

if (missing.length) console.error(`values not in helm/tlswatch/README.md: ${missing.join(", ")}`);
if (unknown.length) console.error(`README documents values that do not exist: ${unknown.join(", ")}`);
console.log(`${documented.size} values documented`);
process.exit(missing.length || unknown.length ? 1 : 0);

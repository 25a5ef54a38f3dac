// Copied from the fixgate shared tools (tools/hcl2json-check.js) so the project builds from a fresh clone;
// installed with scripts/validators/install.sh. Keep it identical to upstream unless noted.
// Usage: node hcl2json-check.js <file.tf|dir> ...   (NODE_PATH=<validators dir>/node_modules)
// Parses each .tf file with HashiCorp HCL (Go, compiled to wasm) via @cdktf/hcl2json.
const { parse } = require("@cdktf/hcl2json");
const fs = require("fs"), path = require("path");
function walk(p) { const s = fs.statSync(p); if (s.isDirectory()) return fs.readdirSync(p).flatMap(f => walk(path.join(p, f))); return p.endsWith(".tf") ? [p] : []; }
(async () => {
  const files = process.argv.slice(2).flatMap(walk); let ok = 0, bad = 0;
  for (const f of files) {
    try { const j = await parse(f, fs.readFileSync(f, "utf8")); ok++;
      if (process.env.VERBOSE) console.log("OK  ", f, Object.keys(j).join(","), j.resource ? Object.keys(j.resource).length + " resource types" : "");
    } catch (e) { bad++; console.log("FAIL", f, String(e.message || e).split("\n")[0].slice(0, 200)); }
  }
  console.log(`${ok} passed, ${bad} failed`);
  process.exitCode = bad ? 1 : 0;
})();

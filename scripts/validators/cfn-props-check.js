// Copied from the fixgate shared tools (tools/cfn-props-check.js) so the project builds from a fresh clone;
// installed with scripts/validators/install.sh. Keep it identical to upstream unless noted.
// Usage: NODE_PATH=<validators dir>/node_modules node cfn-props-check.js <template|dir>...
// Checks CloudFormation resource types / top-level property names / required properties against
// the CloudFormation Resource Specification shipped in @aws-cdk/cfnspec. YAML parsed with yaml-cfn (handles !Ref, !Sub ...).
const fs = require("fs"), path = require("path");
const { yamlParse } = require("yaml-cfn");
const spec = require("@aws-cdk/cfnspec").specification();
function walk(p) { const s = fs.statSync(p); if (s.isDirectory()) return fs.readdirSync(p).flatMap(f => walk(path.join(p, f))); return /\.(ya?ml|json|template)$/.test(p) ? [p] : []; }
let files = 0, templates = 0, bad = 0, skipped = 0;
for (const f of process.argv.slice(2).flatMap(walk)) {
  files++; let t;
  const txt = fs.readFileSync(f, "utf8");
  try { t = f.endsWith(".json") ? JSON.parse(txt) : yamlParse(txt); } catch (e) { console.log("PARSE-ERROR", f, String(e.message).split("\n")[0]); bad++; continue; }
  if (!t || typeof t !== "object" || !t.Resources) { skipped++; continue; }
  templates++; const errs = [];
  for (const [name, r] of Object.entries(t.Resources)) {
    if (!r || !r.Type) { errs.push(`${name}: missing Type`); continue; }
    if (r.Type.startsWith("Custom::") || r.Type === "AWS::CloudFormation::CustomResource") continue;
    const rs = spec.ResourceTypes[r.Type];
    if (!rs) { errs.push(`${name}: unknown type ${r.Type}`); continue; }
    const props = r.Properties || {};
    for (const p of Object.keys(props)) if (!(p in (rs.Properties || {}))) errs.push(`${name}: ${r.Type} has no property '${p}'`);
    for (const [p, d] of Object.entries(rs.Properties || {})) if (d.Required && !(p in props) && !t.Transform) errs.push(`${name}: ${r.Type} missing required '${p}'`);
  }
  if (errs.length) { bad++; console.log("INVALID", f); errs.forEach(e => console.log("   ", e)); }
  else if (process.env.VERBOSE) console.log("OK", f);
}
console.log(`spec ${spec.ResourceSpecificationVersion}: ${files} files, ${templates} templates, ${skipped} non-templates skipped`);
console.log(`${templates - bad} passed, ${bad} failed`);
process.exitCode = bad ? 1 : 0;

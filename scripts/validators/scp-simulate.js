#!/usr/bin/env node
// Simulates requests against service control policies with npm @cloud-copilot/iam-simulate, which evaluates SCPs as
// AWS does: a request is allowed only if an SCP at the target allows it (FullAWSAccess, which AWS attaches by
// default, is added to every case) and none denies it. The identity policy allows everything, so the SCPs decide.
// Usage: NODE_PATH=DIR/node_modules node scp-simulate.js CASES.json
//   CASES.json: {"cases": [{"name", "expect": "denied"|"allowed"|"same", "scps": [{"name", "policy"}],
//                           "reference": [{"name", "policy"}] (for "same": the decision must equal theirs),
//                           "request": {"action", "resource", "principal", "context": {...}}}]}
// aws:PrincipalArn and aws:PrincipalAccount are taken from the principal when a case does not set them (AWS always
// sends them). A KMS key gets its default key policy, which lets the account's IAM policies grant access (without a
// key policy KMS allows nothing, and the SCPs would never be the deciding part). Prints one line per case and
// "N passed, M failed"; exit 1 on any failure.
const fs = require('fs');
const { runSimulation } = require('@cloud-copilot/iam-simulate');

const FULL_ACCESS = { name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
const ALLOW_ALL = { name: 'AllowEverything', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };

function accountOf(principal) {
  const parts = principal.split(':');
  return parts.length > 4 && /^\d{12}$/.test(parts[4]) ? parts[4] : '111122223333';
}

async function decide(scps, request) {
  const account = accountOf(request.principal);
  const resourceAccount = (request.resource.split(':')[4] || '').match(/^\d{12}$/) ? request.resource.split(':')[4] : account;
  const context = { 'aws:PrincipalArn': request.principal, 'aws:PrincipalAccount': account, ...(request.context || {}) };
  const kmsKey = /^arn:aws:kms:[^:]*:(\d{12}):key\//.exec(request.resource);
  const resourcePolicy = kmsKey ? { Version: '2012-10-17', Statement: [{ Sid: 'EnableIAMUserPermissions', Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${kmsKey[1]}:root` }, Action: 'kms:*', Resource: '*' }] } : undefined;
  const result = await runSimulation({
    identityPolicies: [ALLOW_ALL],
    ...(resourcePolicy ? { resourcePolicy } : {}),
    serviceControlPolicies: [{ orgIdentifier: 'ou-exam-ple00000', policies: [FULL_ACCESS, ...scps] }],
    resourceControlPolicies: [],
    request: {
      action: request.action,
      principal: request.principal,
      resource: { accountId: resourceAccount, resource: request.resource },
      contextVariables: context,
    },
  }, {});
  if (result.resultType === 'error') throw new Error('simulation refused the case: ' + JSON.stringify(result.errors));
  return result.overallResult;
}

(async () => {
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  let passed = 0, failed = 0;
  for (const c of input.cases) {
    let ok, detail;
    try {
      const got = await decide(c.scps, c.request);
      if (c.expect === 'same') {
        const want = await decide(c.reference, c.request);
        ok = got === want;
        detail = `${got}, unpacked statements: ${want}`;
      } else {
        ok = c.expect === 'denied' ? got === 'ExplicitlyDenied' : got === 'Allowed';
        detail = `expected ${c.expect}, got ${got}`;
      }
    } catch (e) {
      ok = false;
      detail = e.message;
    }
    if (ok) passed++; else failed++;
    console.log(`${ok ? 'PASS' : 'FAIL'} ${c.name}: ${detail}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();

# opa test policies/opa — the same cases as the CEL engine's tests (CelPolicyEngineTest).
package fixgate_test

import rego.v1

import data.fixgate

# A SAFE, unremarkable fix that no policy stops (Inputs.safe() in the Java tests).
safe := {
	"now": "2026-11-18T10:00:00Z",
	"resource": {
		"id": "arn:aws:s3:::logs", "type": "aws_s3_bucket", "address": "aws_s3_bucket.logs", "file": "main.tf",
		"tags": {"team": "platform"}, "tag_pairs": ["team=platform"], "excluded_by": [],
	},
	"finding": {"control": "aws.s3.bucket.ssl_requests_only", "severity": "MEDIUM", "title": "S3 bucket allows HTTP", "source": "securityhub"},
	"playbook": {"id": "aws.s3.enforce_tls", "safe_for_production": false},
	"actions": ["access"],
	"environment": "development",
	"rci": {"level": "SAFE", "confidence": 1.0, "reasons": []},
	"blast_radius": {"resources": 1, "instances": 1, "references": [], "complete": true},
	"calendar": {"change_windows": false, "in_change_window": true, "in_blackout": false, "blackout": "", "high_traffic": []},
	"incidents": {"resource": false, "account": false},
	"patch": {"status": "changed", "code": ""},
	"diff": "",
	"evidence": [],
	"config": {
		"mode": "autonomous",
		"blast_radius": {"max_resources": 10, "max_instances": 25},
		"exclusions": {"tags": []},
		"production": {"require_approval": true},
	},
}

denied(changes) := ids if {
	d := fixgate.decision with input as object.union(safe, changes)
	ids := {h.policy | some h in d.deny}
}

approval(changes) := ids if {
	d := fixgate.decision with input as object.union(safe, changes)
	ids := {h.policy | some h in d.needs_approval}
}

test_safe_fix_passes if {
	denied({}) == set()
	approval({}) == set()
}

test_rci_levels if {
	denied({"rci": {"level": "UNSAFE"}}) == {"rci-unsafe"}
	approval({"rci": {"level": "RISKY"}}) == {"rci-risky"}
}

test_exclusion_tag_denies_and_only_records if {
	denied({"resource": {"tags": {"fixgate:exclude": "true"}}}) == {"excluded-resource"}
	d := fixgate.decision with input as object.union(safe, {"resource": {"tags": {"fixgate:exclude": "true"}}})
	some h in d.deny
	h.on_deny == "record_only"
}

test_configured_exclusion_tags_match_keys_or_pairs if {
	denied({"config": {"exclusions": {"tags": ["team=platform"]}}}) == {"excluded-resource"}
	denied({"config": {"exclusions": {"tags": ["team"]}}}) == {"excluded-resource"}
	denied({"resource": {"excluded_by": ["resources: arn:aws:s3:::*"]}}) == {"excluded-resource"}
}

test_change_window_and_blackout if {
	denied({"calendar": {"change_windows": true, "in_change_window": false}}) == {"change-window"}
	denied({"calendar": {"change_windows": true, "in_change_window": true}}) == set()
	denied({"calendar": {"in_blackout": true, "blackout": "year-end freeze"}}) == {"blackout"}
}

test_blast_radius if {
	approval({"blast_radius": {"resources": 11, "instances": 11}}) == {"blast-radius-limit"}
	approval({"blast_radius": {"instances": 26}}) == {"blast-radius-limit"}
	approval({"blast_radius": {"complete": false}}) == {"blast-radius-unknown"}
}

test_human_actions_and_resource_types if {
	approval({"actions": ["iam"]}) == {"human-action"}
	approval({"resource": {"type": "aws_db_parameter_group"}}) == {"human-resource-type"}
}

test_production if {
	approval({"environment": "production"}) == {"production-approval"}
	approval({"environment": "production", "playbook": {"safe_for_production": true}}) == set()
	approval({"environment": "production", "config": {"production": {"require_approval": false}}}) == set()
}

test_patch_not_written if {
	denied({"patch": {"status": "cannot_patch", "code": "patch.value-from-variable"}}) == {"patch-not-written"}
}

test_decision_has_both_arrays if {
	d := fixgate.decision with input as safe
	is_set(d.deny)
	is_set(d.needs_approval)
}

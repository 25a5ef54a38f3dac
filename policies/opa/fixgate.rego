# fixgate's built-in gate policies (policies/src/main/resources/policies/builtin/*.yaml) in Rego, for teams
# that run OPA. fixgate asks OPA for data.fixgate.decision with the decision input documented in
# policies/README.md and expects {"deny": [...], "needs_approval": [...]}; each entry names its policy.
# A deny from OPA wins like a deny from the built-in CEL policies; an OPA error or an undefined document denies.
package fixgate

import rego.v1

decision := {"deny": deny, "needs_approval": needs_approval}

human_actions := {"terminate", "delete", "replace", "iam"}

human_resource_types := {
	"aws_db_parameter_group", "aws_rds_cluster_parameter_group",
	"aws_elasticache_parameter_group", "aws_redshift_parameter_group",
	"AWS::RDS::DBParameterGroup", "AWS::RDS::DBClusterParameterGroup",
	"AWS::ElastiCache::ParameterGroup", "AWS::Redshift::ClusterParameterGroup",
}

# rci-unsafe / rci-risky
deny contains h if {
	input.rci.level == "UNSAFE"
	h := hit("rci-unsafe", "the fix is rated UNSAFE; fixgate never merges it and routes it to the owners", "route_to_owner")
}

needs_approval contains h if {
	input.rci.level == "RISKY"
	h := hit("rci-risky", "the fix is rated RISKY and needs an authorised approving review", "route_to_owner")
}

# patch-not-written
deny contains h if {
	input.patch.status != "changed"
	h := hit("patch-not-written", "no patch could be written without guessing; the owners must fix it", "route_to_owner")
}

# excluded-resource
deny contains h if {
	excluded
	h := hit("excluded-resource", "the resource is excluded from remediation by configuration or by tag", "record_only")
}

excluded if count(input.resource.excluded_by) > 0

excluded if "fixgate:exclude" in object.keys(input.resource.tags)

excluded if {
	some t in input.config.exclusions.tags
	t in object.keys(input.resource.tags)
}

excluded if {
	some t in input.config.exclusions.tags
	t in input.resource.tag_pairs
}

# change-window / blackout
deny contains h if {
	input.calendar.change_windows
	not input.calendar.in_change_window
	h := hit("change-window", "outside every configured change window; the fix waits for the next window", "record_only")
}

deny contains h if {
	input.calendar.in_blackout
	h := hit("blackout", "inside a blackout period; the fix waits until it ends", "record_only")
}

# blast-radius-limit / blast-radius-unknown
needs_approval contains h if {
	input.blast_radius.resources > input.config.blast_radius.max_resources
	h := hit("blast-radius-limit", "the blast radius is over the configured limit for autonomous action", "route_to_owner")
}

needs_approval contains h if {
	input.blast_radius.instances > input.config.blast_radius.max_instances
	h := hit("blast-radius-limit", "the blast radius is over the configured limit for autonomous action", "route_to_owner")
}

needs_approval contains h if {
	not input.blast_radius.complete
	h := hit("blast-radius-unknown", "the blast radius could not be fully determined from the code", "route_to_owner")
}

# human-action / human-resource-type
needs_approval contains h if {
	some a in input.actions
	a in human_actions
	h := hit("human-action", "the fix terminates, deletes, replaces or changes IAM, which always needs a human", "route_to_owner")
}

needs_approval contains h if {
	input.resource.type in human_resource_types
	h := hit("human-resource-type", "changing a database parameter group always needs a human", "route_to_owner")
}

# production-approval
needs_approval contains h if {
	input.environment == "production"
	input.config.production.require_approval
	not input.playbook.safe_for_production
	h := hit("production-approval", "the resource is in production and the playbook is not marked safe for production", "route_to_owner")
}

hit(policy, message, on_deny) := {"policy": policy, "message": message, "on_deny": on_deny}

#!/usr/bin/env python3
"""Writes terragoat-aws.tfstate: the Terraform state (format version 4) that `terraform apply`
of TerraGoat's AWS module would leave, as fixgate's code-to-cloud fixture.

The deployment it describes: account 111111111111 (the account of the Security Hub corpus findings), region us-east-1
(`-var region=us-east-1`), TerraGoat's defaults otherwise (company acme, environment dev), AWS provider 4.x (TerraGoat
sets `name` on aws_db_instance, which provider 5 removed), Terraform 1.3.9.

- Names the code determines are what the code evaluates to (`${local.resource_prefix.value}` is 111111111111-acme-dev).
- Ids AWS assigns (vpc-, subnet-, sg-, i-, vol-, …) are random in AWS's formats (seeded, so the file is stable), with
  four exceptions: where a corpus finding names an AWS-assigned id on a resource TerraGoat deploys *with exactly the
  misconfiguration the finding's control checks*, the state holds that id, as if Security Hub had scanned this deployment:
    EC2.2  sg-1234123f               web_vpc's default security group (TerraGoat never adopts it: AWS's rules stay)
    EC2.6  vpc-e5b8f483              eks_vpc (no flow log; web_vpc has aws_flow_log.vpcflowlogs)
    EC2.8  i-077c4d5f32561ac45       web_host (no metadata_options: IMDSv1 allowed)
    EC2.15 subnet-017e22c0195eb5ded  web_subnet (map_public_ip_on_launch = true)
  No other corpus finding names a resource of this deployment (see BENCHMARKS.md, "Code-to-cloud").
- Tags and tags_all hold the code's tags, Yor's included, as AWS reports them.
- Secrets are in it as they would be (the database password, the access key's secret; TerraGoat's own example values):
  locate must read past them without keeping or logging them.

Run from this directory: python3 make-terragoat-state.py
"""
import json
import random
import re
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
# TerraGoat's AWS module as the patchers' corpus has it (one copy in the repository)
MODULE = HERE.parents[5] / "iac-patchers" / "src" / "test" / "resources" / "corpus" / "terragoat" / "terraform" / "aws"
STATE = HERE / "terragoat-aws.tfstate"
ACCOUNT = "111111111111"
REGION = "us-east-1"
PREFIX = f"{ACCOUNT}-acme-dev"
AWS = 'provider["registry.terraform.io/hashicorp/aws"]'
NULL = 'provider["registry.terraform.io/hashicorp/null"]'
rnd = random.Random(13)


def hexid(prefix, n=17):
    return prefix + "".join(rnd.choice("0123456789abcdef") for _ in range(n))


def upper(n):
    return "".join(rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(n))


def digits(n):
    return "".join(rnd.choice("0123456789") for _ in range(n))


def ec2_arn(kind, rid):
    return f"arn:aws:ec2:{REGION}:{ACCOUNT}:{kind}/{rid}"


def code_tags():
    """resource address -> the literal tags of its block (the merge() of Yor's tags), read from the code."""
    out = {}
    block = re.compile(r'^resource\s+"?([\w-]+)"?\s+"([\w-]+)"\s*\{', re.M)
    pair = re.compile(r'^\s*"?([A-Za-z_][\w:./-]*)"?\s*=\s*"([^"$]*)"\s*$', re.M)
    for tf in sorted(MODULE.glob("*.tf")):
        text = tf.read_text()
        starts = [(m.start(), m.group(1), m.group(2)) for m in block.finditer(text)] + [(len(text), None, None)]
        for (start, typ, name), (end, _, _) in zip(starts, starts[1:]):
            body = text[start:end]
            t = body.find("tags")
            if t < 0:
                continue
            tags = {}
            for m in pair.finditer(body[t:]):
                if m.group(1) in ("Name", "Environment") or m.group(1).startswith(("git_", "yor_")):
                    tags[m.group(1)] = m.group(2)
            name_tag = re.search(r'Name\s*=\s*"\$\{local\.resource_prefix\.value\}([^"]*)"', body[t:])
            if name_tag:
                tags["Name"] = PREFIX + name_tag.group(1)
            if re.search(r'Environment\s*=\s*local\.resource_prefix\.value', body[t:]):
                tags["Environment"] = PREFIX
            out[f"{typ}.{name}"] = dict(sorted(tags.items()))
    return out


TAGS = code_tags()
resources = []


def managed(typ, name, attributes, deps=(), provider=AWS, instances=None, sensitive=()):
    tags = TAGS.get(f"{typ}.{name}")
    def inst(attrs, key=None):
        a = dict(attrs)
        if tags is not None and "tags" not in a and typ not in NO_TAGS:
            a["tags"] = tags
            a["tags_all"] = tags
        i = {}
        if key is not None:
            i["index_key"] = key
        i.update({"schema_version": SCHEMA.get(typ, 0), "attributes": a,
                  "sensitive_attributes": [[{"type": "get_attr", "value": s}] for s in sensitive]})
        if typ.startswith("aws_") and typ not in NO_PRIVATE:
            i["private"] = "eyJzY2hlbWFfdmVyc2lvbiI6IjEifQ=="
        if deps:
            i["dependencies"] = sorted(deps)
        return i
    r = {"mode": "managed", "type": typ, "name": name, "provider": provider}
    if instances is not None:
        r["each"] = "list"
        r["instances"] = [inst(a, k) for k, a in instances]
    else:
        r["instances"] = [inst(attributes)]
    resources.append(r)


def data(typ, name, attributes):
    resources.append({"mode": "data", "type": typ, "name": name, "provider": AWS,
                      "instances": [{"schema_version": 0, "attributes": attributes, "sensitive_attributes": []}]})


SCHEMA = {"aws_instance": 1, "aws_security_group": 1, "aws_vpc": 1, "aws_db_instance": 1, "aws_route": 0,
          "aws_security_group_rule": 2, "aws_elb": 0}
NO_TAGS = {"aws_security_group_rule", "aws_route", "aws_route_table_association", "aws_volume_attachment",
           "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_access_key", "aws_iam_role_policy_attachment",
           "aws_kms_alias", "aws_elasticsearch_domain_policy", "aws_neptune_cluster_snapshot", "null_resource"}
NO_PRIVATE = {"aws_route_table_association", "aws_iam_role_policy", "aws_iam_user_policy", "aws_kms_alias"}

# --- data sources (ignored by locate, present as in any real state) ---
data("aws_ami", "amazon-linux-2", {"id": "ami-0b5eea76982371e91", "architecture": "x86_64",
                                   "name": "amzn2-ami-hvm-2.0.20230207.0-x86_64-ebs", "owners": ["amazon"]})
data("aws_caller_identity", "current", {"account_id": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/terraform",
                                        "id": ACCOUNT, "user_id": "AIDA" + upper(17)})
data("aws_iam_policy_document", "iam_policy_eks", {"id": digits(10), "json": "{\n  \"Version\": \"2012-10-17\"}"})
data("aws_iam_policy_document", "policy", {"id": digits(10), "json": "{\n  \"Version\": \"2012-10-17\"}"})

# --- network (ec2.tf, eks.tf) ---
web_vpc, eks_vpc = hexid("vpc-"), "vpc-e5b8f483"
web_rtb_main, eks_rtb_main = hexid("rtb-"), hexid("rtb-")
managed("aws_vpc", "web_vpc", {"id": web_vpc, "arn": ec2_arn("vpc", web_vpc), "cidr_block": "172.16.0.0/16",
                               "default_network_acl_id": hexid("acl-"), "default_route_table_id": web_rtb_main,
                               "default_security_group_id": "sg-1234123f", "main_route_table_id": web_rtb_main,
                               "enable_dns_hostnames": True, "enable_dns_support": True, "instance_tenancy": "default",
                               "owner_id": ACCOUNT})
managed("aws_vpc", "eks_vpc", {"id": eks_vpc, "arn": ec2_arn("vpc", eks_vpc), "cidr_block": "10.10.0.0/16",
                               "default_network_acl_id": hexid("acl-"), "default_route_table_id": eks_rtb_main,
                               "default_security_group_id": hexid("sg-"), "main_route_table_id": eks_rtb_main,
                               "enable_dns_hostnames": True, "enable_dns_support": True, "instance_tenancy": "default",
                               "owner_id": ACCOUNT})
subnets = {}
for name, sid, vpc, cidr, az in [("web_subnet", "subnet-017e22c0195eb5ded", web_vpc, "172.16.10.0/24", "a"),
                                 ("web_subnet2", hexid("subnet-"), web_vpc, "172.16.11.0/24", "b"),
                                 ("eks_subnet1", hexid("subnet-"), eks_vpc, "10.10.10.0/24", "a"),
                                 ("eks_subnet2", hexid("subnet-"), eks_vpc, "10.10.11.0/24", "b")]:
    subnets[name] = sid
    managed("aws_subnet", name, {"id": sid, "arn": ec2_arn("subnet", sid), "vpc_id": vpc, "cidr_block": cidr,
                                 "availability_zone": REGION + az, "map_public_ip_on_launch": True, "owner_id": ACCOUNT},
            deps=["aws_vpc." + ("web_vpc" if vpc == web_vpc else "eks_vpc")])
igw = hexid("igw-")
managed("aws_internet_gateway", "web_igw", {"id": igw, "arn": ec2_arn("internet-gateway", igw), "vpc_id": web_vpc,
                                            "owner_id": ACCOUNT}, deps=["aws_vpc.web_vpc"])
rtb = hexid("rtb-")
managed("aws_route_table", "web_rtb", {"id": rtb, "arn": ec2_arn("route-table", rtb), "vpc_id": web_vpc,
                                       "owner_id": ACCOUNT}, deps=["aws_vpc.web_vpc"])
for name, subnet in [("rtbassoc", "web_subnet"), ("rtbassoc2", "web_subnet2")]:
    managed("aws_route_table_association", name, {"id": hexid("rtbassoc-"), "route_table_id": rtb,
                                                  "subnet_id": subnets[subnet]},
            deps=["aws_route_table.web_rtb", "aws_subnet." + subnet])
managed("aws_route", "public_internet_gateway", {"id": f"r-{rtb}1080289494", "route_table_id": rtb,
                                                 "destination_cidr_block": "0.0.0.0/0", "gateway_id": igw},
        deps=["aws_internet_gateway.web_igw", "aws_route_table.web_rtb"])
web_sg, rds_sg = hexid("sg-"), hexid("sg-")
managed("aws_security_group", "web-node", {"id": web_sg, "arn": ec2_arn("security-group", web_sg),
                                           "name": f"{PREFIX}-sg", "description": f"{PREFIX} Security Group",
                                           "vpc_id": web_vpc, "owner_id": ACCOUNT}, deps=["aws_vpc.web_vpc"])
eni = hexid("eni-")
managed("aws_network_interface", "web-eni", {"id": eni, "arn": ec2_arn("network-interface", eni),
                                             "subnet_id": subnets["web_subnet"], "private_ips": ["172.16.10.100"]},
        deps=["aws_subnet.web_subnet", "aws_vpc.web_vpc"])

# --- the web host (ec2.tf) ---
instance = "i-077c4d5f32561ac45"
managed("aws_instance", "web_host", {"id": instance, "arn": ec2_arn("instance", instance), "ami": "ami-09a5b0b7edf08843d",
                                     "instance_type": "t2.nano", "subnet_id": subnets["web_subnet"],
                                     "vpc_security_group_ids": [web_sg],
                                     "metadata_options": [{"http_endpoint": "enabled", "http_tokens": "optional",
                                                           "http_put_response_hop_limit": 1}],
                                     "user_data": "a0a2a2e8a5a6e4ed1c5c1bdd1e9a3b0a12c0b6ce"},
        deps=["aws_security_group.web-node", "aws_subnet.web_subnet", "aws_vpc.web_vpc"])
vol = hexid("vol-")
managed("aws_ebs_volume", "web_host_storage", {"id": vol, "arn": ec2_arn("volume", vol), "availability_zone": REGION + "a",
                                               "size": 1, "encrypted": False, "type": "gp2"})
snap = hexid("snap-")
managed("aws_ebs_snapshot", "example_snapshot", {"id": snap, "arn": f"arn:aws:ec2:{REGION}::snapshot/{snap}",
                                                 "volume_id": vol, "encrypted": False,
                                                 "description": f"{PREFIX}-ebs-snapshot", "owner_id": ACCOUNT},
        deps=["aws_ebs_volume.web_host_storage"])
managed("aws_volume_attachment", "ebs_att", {"id": "vai-" + digits(10), "device_name": "/dev/sdh", "volume_id": vol,
                                             "instance_id": instance},
        deps=["aws_ebs_volume.web_host_storage", "aws_instance.web_host"])
flow_bucket = f"{PREFIX}-flowlogs"
fl = hexid("fl-")
managed("aws_flow_log", "vpcflowlogs", {"id": fl, "arn": ec2_arn("vpc-flow-log", fl), "vpc_id": web_vpc,
                                        "log_destination": f"arn:aws:s3:::{flow_bucket}", "log_destination_type": "s3",
                                        "traffic_type": "ALL"}, deps=["aws_s3_bucket.flowbucket", "aws_vpc.web_vpc"])

# --- buckets (s3.tf, ec2.tf) ---
for name, suffix in [("data", "data"), ("financials", "financials"), ("operations", "operations"),
                     ("data_science", "data-science"), ("logs", "logs"), ("flowbucket", "flowlogs")]:
    b = f"{PREFIX}-{suffix}"
    managed("aws_s3_bucket", name, {"id": b, "arn": f"arn:aws:s3:::{b}", "bucket": b,
                                    "bucket_domain_name": f"{b}.s3.amazonaws.com", "region": REGION,
                                    "hosted_zone_id": "Z3AQBSTGFYJSTF", "force_destroy": True})
managed("aws_s3_bucket_object", "data_object", {"id": "customer-master.xlsx", "bucket": f"{PREFIX}-data",
                                                "key": "customer-master.xlsx", "etag": hexid("", 32)},
        deps=["aws_s3_bucket.data"])

# --- database (db-app.tf) ---
ident = f"rds-{PREFIX}"
managed("aws_db_instance", "default", {"id": ident, "arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:db:{ident}",
                                       "identifier": ident, "resource_id": "db-" + upper(26), "engine": "mysql",
                                       "engine_version": "8.0.32", "instance_class": "db.t3.micro", "name": "db1",
                                       "username": "admin", "password": "Aa1234321Bb", "publicly_accessible": True,
                                       "storage_encrypted": False, "backup_retention_period": 0,
                                       "vpc_security_group_ids": [rds_sg]},
        deps=["aws_db_option_group.default", "aws_db_parameter_group.default", "aws_db_subnet_group.default",
              "aws_security_group.default"], sensitive=["password"])
for typ, short, name in [("aws_db_option_group", "og", f"og-{PREFIX}"), ("aws_db_parameter_group", "pg", f"pg-{PREFIX}"),
                         ("aws_db_subnet_group", "subgrp", f"sg-{PREFIX}")]:
    managed(typ, "default", {"id": name, "arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:{short}:{name}", "name": name})
managed("aws_security_group", "default", {"id": rds_sg, "arn": ec2_arn("security-group", rds_sg),
                                          "name": f"{PREFIX}-rds-sg", "vpc_id": web_vpc, "owner_id": ACCOUNT},
        deps=["aws_vpc.web_vpc"])
for name, rule_type in [("ingress", "ingress"), ("egress", "egress")]:
    managed("aws_security_group_rule", name, {"id": "sgrule-" + digits(10), "type": rule_type,
                                              "security_group_id": rds_sg}, deps=["aws_security_group.default"])
for typ, name, attrs in [
        ("aws_iam_instance_profile", "ec2profile", {"id": f"{PREFIX}-profile",
                                                    "arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/{PREFIX}-profile",
                                                    "unique_id": "AIPA" + upper(17)}),
        ("aws_iam_role", "ec2role", {"id": f"{PREFIX}-role", "arn": f"arn:aws:iam::{ACCOUNT}:role/{PREFIX}-role",
                                     "name": f"{PREFIX}-role", "unique_id": "AROA" + upper(17)}),
        ("aws_iam_role_policy", "ec2policy", {"id": f"{PREFIX}-role:{PREFIX}-policy", "name": f"{PREFIX}-policy",
                                              "role": f"{PREFIX}-role"})]:
    managed(typ, name, attrs)

# --- containers and clusters (ecr.tf, eks.tf, elb.tf, es.tf) ---
repo = f"{PREFIX}-repository"
managed("aws_ecr_repository", "repository", {"id": repo, "arn": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/{repo}",
                                             "name": repo, "image_tag_mutability": "MUTABLE", "registry_id": ACCOUNT})
managed("null_resource", "push_image", {"id": digits(19), "triggers": None}, provider=NULL,
        deps=["aws_ecr_repository.repository"])
managed("aws_iam_role", "iam_for_eks", {"id": f"{PREFIX}-iam-for-eks",
                                        "arn": f"arn:aws:iam::{ACCOUNT}:role/{PREFIX}-iam-for-eks",
                                        "name": f"{PREFIX}-iam-for-eks", "unique_id": "AROA" + upper(17)})
for policy in ["AmazonEKSClusterPolicy", "AmazonEKSServicePolicy"]:
    managed("aws_iam_role_policy_attachment", "policy_attachment-" + policy,
            {"id": f"{PREFIX}-iam-for-eks-2023042712482{digits(8)}", "role": f"{PREFIX}-iam-for-eks",
             "policy_arn": f"arn:aws:iam::aws:policy/{policy}"}, deps=["aws_iam_role.iam_for_eks"])
eks = f"{PREFIX}-eks"
managed("aws_eks_cluster", "eks_cluster", {"id": eks, "arn": f"arn:aws:eks:{REGION}:{ACCOUNT}:cluster/{eks}", "name": eks,
                                           "endpoint": f"https://{hexid('', 32).upper()}.gr7.{REGION}.eks.amazonaws.com"},
        deps=["aws_iam_role.iam_for_eks", "aws_subnet.eks_subnet1", "aws_subnet.eks_subnet2"])
managed("aws_elb", "weblb", {"id": "weblb-terraform-elb",
                             "arn": f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/weblb-terraform-elb",
                             "name": "weblb-terraform-elb", "instances": [instance], "security_groups": [web_sg],
                             "subnets": [subnets["web_subnet"]]},
        deps=["aws_instance.web_host", "aws_security_group.web-node", "aws_subnet.web_subnet"])
es = f"arn:aws:es:{REGION}:{ACCOUNT}:domain/tg-dev-es"
managed("aws_elasticsearch_domain", "monitoring-framework", {"id": es, "arn": es, "domain_name": "tg-dev-es",
                                                             "domain_id": f"{ACCOUNT}/tg-dev-es",
                                                             "elasticsearch_version": "2.3"})
managed("aws_elasticsearch_domain_policy", "monitoring-framework-policy", {"id": "esd-policy-tg-dev-es",
                                                                           "domain_name": "tg-dev-es"},
        deps=["aws_elasticsearch_domain.monitoring-framework"])

# --- identities and keys (iam.tf, kms.tf, lambda.tf) ---
user = f"{PREFIX}-user"
managed("aws_iam_user", "user", {"id": user, "arn": f"arn:aws:iam::{ACCOUNT}:user/{user}", "name": user,
                                 "unique_id": "AIDA" + upper(17), "force_destroy": True})
managed("aws_iam_access_key", "user", {"id": "AKIA" + upper(16), "user": user, "status": "Active",
                                       "secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        deps=["aws_iam_user.user"], sensitive=["secret"])
managed("aws_iam_user_policy", "userpolicy", {"id": f"{user}:excess_policy", "name": "excess_policy", "user": user},
        deps=["aws_iam_user.user"])
key = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
managed("aws_kms_key", "logs_key", {"id": key, "arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key}", "key_id": key,
                                    "enable_key_rotation": False, "deletion_window_in_days": 7})
managed("aws_kms_alias", "logs_key_alias", {"id": f"alias/{PREFIX}-logs-bucket-key",
                                            "arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/{PREFIX}-logs-bucket-key",
                                            "target_key_id": key}, deps=["aws_kms_key.logs_key"])
managed("aws_iam_role", "iam_for_lambda", {"id": f"{PREFIX}-analysis-lambda",
                                           "arn": f"arn:aws:iam::{ACCOUNT}:role/{PREFIX}-analysis-lambda",
                                           "name": f"{PREFIX}-analysis-lambda", "unique_id": "AROA" + upper(17)})
fn = f"{PREFIX}-analysis"
managed("aws_lambda_function", "analysis_lambda", {"id": fn, "arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{fn}",
                                                   "function_name": fn, "runtime": "nodejs12.x", "handler": "exports.test",
                                                   "environment": [{"variables": {
                                                       "access_key": "AKIAIOSFODNN7EXAMPLE",
                                                       "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}]},
        deps=["aws_iam_role.iam_for_lambda"])

# --- graph and relational clusters (neptune.tf, rds.tf): count = 1 gives instance key 0 ---
managed("aws_neptune_cluster", "default", {"id": "neptunedb1", "arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:neptunedb1",
                                           "cluster_identifier": "neptunedb1", "engine": "neptune",
                                           "storage_encrypted": False, "iam_database_authentication_enabled": False})
neptune_instance = "tf-20230427124820" + digits(10)
managed("aws_neptune_cluster_instance", "default", None, deps=["aws_neptune_cluster.default"],
        instances=[(0, {"id": neptune_instance, "arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:db:{neptune_instance}",
                        "cluster_identifier": "neptunedb1", "instance_class": "db.t3.medium"})])
managed("aws_neptune_cluster_snapshot", "default", {"id": "resourcetestsnapshot1",
                                                    "db_cluster_snapshot_identifier": "resourcetestsnapshot1",
                                                    "db_cluster_snapshot_arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster-snapshot:resourcetestsnapshot1"},
        deps=["aws_neptune_cluster.default"])
for n, retention in [(1, 0), (2, 1), (3, 15), (4, 15), (5, 15), (6, 15), (7, 25), (8, 25), (9, 25)]:
    cid = f"app{n}-rds-cluster"
    managed("aws_rds_cluster", cid, {"id": cid, "arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:{cid}",
                                     "cluster_identifier": cid, "engine": "aurora", "backup_retention_period": retention,
                                     "storage_encrypted": False})

state = {
    "version": 4,
    "terraform_version": "1.3.9",
    "serial": 27,
    "lineage": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
    "outputs": {
        "ec2_public_dns": {"value": "ec2-54-210-11-7.compute-1.amazonaws.com", "type": "string"},
        "public_subnet": {"value": subnets["web_subnet"], "type": "string"},
        "public_subnet2": {"value": subnets["web_subnet2"], "type": "string"},
        "secret": {"value": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "type": "string", "sensitive": True},
        "username": {"value": user, "type": "string"},
        "vpc_id": {"value": web_vpc, "type": "string"},
    },
    "resources": sorted(resources, key=lambda r: (r["mode"] != "data", r["type"], r["name"])),
    "check_results": None,
}
STATE.write_text(json.dumps(state, indent=2) + "\n")
print(f"{STATE}: {sum(len(r['instances']) for r in resources)} instances")

package dev.fixgate.app.locate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fixgate.spi.error.FixgateException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerraformStateParserTest {

    private static TerraformState parse(String json) {
        return TerraformStateParser.parse("terraform.tfstate", "default", json.getBytes(StandardCharsets.UTF_8));
    }

    private static FixgateException invalid(String json) {
        return catchThrowableOfType(FixgateException.class, () -> parse(json));
    }

    @Test
    void readsModulesCountAndForEachInstancesAndSkipsDataSources() {
        TerraformState state = parse("""
                {
                  "version": 4,
                  "terraform_version": "1.6.2",
                  "serial": 3,
                  "lineage": "5c1f0f7e-0000-4000-8000-000000000001",
                  "outputs": {"db_password": {"value": "hunter2", "type": "string", "sensitive": true}},
                  "resources": [
                    {"mode": "data", "type": "aws_caller_identity", "name": "current",
                     "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
                     "instances": [{"schema_version": 0, "attributes": {"id": "111111111111", "account_id": "111111111111"}}]},
                    {"mode": "managed", "type": "aws_s3_bucket", "name": "logs",
                     "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
                     "instances": [{"schema_version": 0, "attributes": {"id": "acme-logs", "arn": "arn:aws:s3:::acme-logs",
                       "bucket": "acme-logs", "policy": "{\\"Statement\\": []}", "grant": [{"permissions": ["READ"]}]}}]},
                    {"module": "module.network[\\"eu\\"].module.vpc", "mode": "managed", "type": "aws_subnet", "name": "private",
                     "each": "list", "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
                     "instances": [
                       {"index_key": 0, "schema_version": 1, "attributes": {"id": "subnet-0a", "arn": "arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-0a"}},
                       {"index_key": 1, "schema_version": 1, "attributes": {"id": "subnet-0b", "arn": "arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-0b"}}]},
                    {"module": "module.buckets", "mode": "managed", "type": "aws_s3_bucket", "name": "this", "each": "map",
                     "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
                     "instances": [
                       {"index_key": "a\\"b", "schema_version": 0, "attributes": {"id": "acme-a", "arn": "arn:aws:s3:::acme-a"}},
                       {"index_key": "raw", "deposed": "00000001", "schema_version": 0, "attributes": {"id": "acme-raw-old"}}]},
                    {"mode": "managed", "type": "aws_db_instance", "name": "legacy",
                     "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
                     "instances": [{"schema_version": 1, "attributes_flat": {"id": "legacy-db", "password": "p4ss"}}]}
                  ],
                  "check_results": null
                }
                """);

        assertThat(state.dataSources()).isEqualTo(1);
        assertThat(state.instances()).extracting(TerraformState.Instance::address).containsExactly(
                "aws_s3_bucket.logs",
                "module.network[\"eu\"].module.vpc.aws_subnet.private[0]",
                "module.network[\"eu\"].module.vpc.aws_subnet.private[1]",
                "module.buckets.aws_s3_bucket.this[\"a\\\"b\"]",
                "module.buckets.aws_s3_bucket.this[\"raw\"]",
                "aws_db_instance.legacy");
        TerraformState.Instance subnet = state.instances().get(1);
        assertThat(subnet.moduleCalls()).containsExactly("network", "vpc");
        assertThat(subnet.resourceAddress()).isEqualTo("aws_subnet.private");
        assertThat(subnet.key()).contains(0L);
        assertThat(state.instances().get(0).identifiers())
                .isEqualTo(Map.of("id", "acme-logs", "arn", "arn:aws:s3:::acme-logs"));
        assertThat(state.instances().get(4).deposed()).isTrue();
        assertThat(state.instances().get(5).identifiers()).isEqualTo(Map.of("id", "legacy-db"));
        // nothing but the identifiers is kept: no secret survives the parse
        assertThat(state.toString()).doesNotContain("hunter2", "p4ss", "Statement");
    }

    @Test
    void aVersion3StateIsRefusedWithWhatToDo() {
        FixgateException e = invalid("""
                {"version": 3, "terraform_version": "0.11.13", "serial": 1,
                 "modules": [{"path": ["root"], "resources": {"aws_instance.example": {"type": "aws_instance",
                   "primary": {"id": "i-0409fc6042a0e4ac5", "attributes": {"id": "i-0409fc6042a0e4ac5"}}}}}]}
                """);
        assertThat(e.code()).isEqualTo(TerraformStateParser.VERSION);
        assertThat(e.getMessage()).contains("version 3 is not supported", "version 4", "terraform state pull");
        assertThat(e.location()).hasValueSatisfying(l -> assertThat(l.pointer()).isEqualTo("/version"));
    }

    @Test
    void aNewerFormatIsRefusedToo() {
        FixgateException e = invalid("{\"version\": 5, \"resources\": []}");
        assertThat(e.code()).isEqualTo(TerraformStateParser.VERSION);
        assertThat(e.getMessage()).contains("version 5 is not supported");
    }

    @Test
    void malformedStatesNameTheFileAndPlaceButNeverQuoteTheirText() {
        FixgateException notJson = invalid("{\"version\": 4,\n \"resources\": [ {\"password\": s3cr3t-value } ]}");
        assertThat(notJson.code()).isEqualTo(TerraformStateParser.INVALID);
        assertThat(notJson.toString()).startsWith("terraform.tfstate:2:").contains("not valid JSON")
                .doesNotContain("s3cr3t");

        FixgateException noVersion = invalid("{\"resources\": []}");
        assertThat(noVersion.getMessage()).contains("no version");

        FixgateException badKey = invalid("""
                {"version": 4, "resources": [{"mode": "managed", "type": "aws_s3_bucket", "name": "b",
                  "instances": [{"index_key": {"secret": "x"}, "attributes": {}}]}]}""");
        assertThat(badKey.getMessage()).contains("index_key must be a whole number or a string");
        assertThat(badKey.location()).hasValueSatisfying(l ->
                assertThat(l.pointer()).isEqualTo("/resources/0/instances/0/index_key"));

        FixgateException badModule = invalid("""
                {"version": 4, "resources": [{"module": "modules/x", "mode": "managed", "type": "t", "name": "n", "instances": []}]}""");
        assertThat(badModule.getMessage()).contains("module path");
        assertThat(badModule.location()).hasValueSatisfying(l -> assertThat(l.pointer()).isEqualTo("/resources/0/module"));

        assertThat(invalid("[]").getMessage()).contains("a Terraform state is a JSON object");
        assertThat(invalid("{\"version\": 4, \"resources\": [{\"mode\": \"weird\", \"type\": \"t\", \"name\": \"n\"}]}")
                .getMessage()).contains("mode must be 'managed' or 'data'");
    }

    @Test
    void aDeeplyNestedStateFailsWithALimitNotAStackOverflow() {
        String deep = "{\"version\": 4, \"resources\": [{\"mode\": \"managed\", \"type\": \"t\", \"name\": \"n\","
                + " \"instances\": [{\"attributes\": {\"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}}]}]}";
        FixgateException e = invalid(deep);
        assertThat(e.code()).isEqualTo(TerraformStateParser.LIMIT);
        assertThat(e.toString()).startsWith("terraform.tfstate: ").contains("nests deeper than");
    }

    @Test
    void moduleInstancePaths() {
        assertThat(TerraformState.ModulePath.parse("")).contains(List.of());
        assertThat(TerraformState.ModulePath.parse("module.a[0].module.b[\"x.y]\"]")).contains(List.of("a", "b"));
        assertThat(TerraformState.ModulePath.parse("module.a.")).isEmpty();
        assertThat(TerraformState.ModulePath.parse("module.a[]")).isEmpty();
        assertThat(TerraformState.ModulePath.parse("module.1a")).isEmpty();
        assertThat(TerraformState.ModulePath.parse("resource.a")).isEmpty();
        assertThat(TerraformState.Instance.keySuffix("k")).isEqualTo("[\"k\"]");
        assertThat(new TerraformState.Instance("", "aws_vpc", "v", Optional.of(2L), Map.of(), false).address())
                .isEqualTo("aws_vpc.v[2]");
    }

    @Test
    void theTerraGoatFixtureStateReadsWhole() throws Exception {
        Path file = Path.of("src/test/resources/c2c/terragoat-aws.tfstate");
        TerraformState state = TerraformStateParser.parse(file.toString(), "default", Files.readAllBytes(file));

        assertThat(state.dataSources()).isEqualTo(4);
        assertThat(state.instances()).hasSize(63);
        assertThat(state.instances()).extracting(TerraformState.Instance::address)
                .contains("aws_neptune_cluster_instance.default[0]", "aws_vpc.web_vpc", "aws_instance.web_host");
        assertThat(state.toString()).doesNotContain("Aa1234321Bb", "wJalrXUtnFEMI");
    }
}

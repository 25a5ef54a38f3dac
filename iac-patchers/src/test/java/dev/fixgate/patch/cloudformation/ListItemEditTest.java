package dev.fixgate.patch.cloudformation;

import static dev.fixgate.patch.Fixtures.addr;
import static dev.fixgate.patch.Fixtures.changed;
import static dev.fixgate.patch.Fixtures.file;
import static dev.fixgate.patch.Fixtures.op;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.patch.Fixtures;
import dev.fixgate.patch.Outcomes;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListItemEditTest {

    private static final String SG = """
            Resources:
              SG:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: web
                  SecurityGroupIngress:
                  - IpProtocol: tcp
                    FromPort: 443
                    ToPort: 443
                    CidrIp: 0.0.0.0/0 # https for all
                  - IpProtocol: tcp
                    FromPort: 22
                    ToPort: 22
                    CidrIp: 0.0.0.0/0
            """;

    @Test
    void removesOnlyTheRuleCoveringThePort() {
        PatchOperation op = op("cloudformation.remove_list_item", Map.of("property", "SecurityGroupIngress",
                "match", Map.of("CidrIp", "0.0.0.0/0"), "port", 22));
        assertThat(changed(op, file("t.yaml", SG), addr("SG")))
                .isEqualTo(SG.substring(0, SG.indexOf("      - IpProtocol: tcp\n        FromPort: 22")));
    }

    @Test
    void replacesTheSourceOfMatchingRules() {
        PatchOperation op = op("cloudformation.replace_list_item", Map.of("property", "SecurityGroupIngress",
                "match", Map.of("CidrIp", "0.0.0.0/0"), "set", Map.of("CidrIp", "10.0.0.0/8"), "port", 22));
        assertThat(changed(op, file("t.yaml", SG), addr("SG")))
                .isEqualTo(SG.substring(0, SG.lastIndexOf("0.0.0.0/0")) + "10.0.0.0/8\n");
    }

    @Test
    void removingEveryRuleLeavesAnEmptyList() {
        PatchOperation op = op("cloudformation.remove_list_item", Map.of("property", "SecurityGroupIngress",
                "match", Map.of("CidrIp", "0.0.0.0/0")));
        assertThat(changed(op, file("t.yaml", SG), addr("SG"))).isEqualTo("""
                Resources:
                  SG:
                    Type: AWS::EC2::SecurityGroup
                    Properties:
                      GroupDescription: web
                      SecurityGroupIngress: []
                """);
    }

    @Test
    void jsonRulesLoseTheirSeparator() {
        String json = """
                {"Resources": {"SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x",
                  "SecurityGroupIngress": [
                    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8"},
                    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}
                  ]}}}}
                """;
        PatchOperation op = op("cloudformation.remove_list_item", Map.of("property", "SecurityGroupIngress",
                "match", Map.of("CidrIp", "0.0.0.0/0")));
        assertThat(changed(op, file("t.json", json), addr("SG"))).isEqualTo(json.replace(
                ",\n    {\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22, \"CidrIp\": \"0.0.0.0/0\"}", ""))
                .doesNotContain("0.0.0.0/0");
    }

    @Test
    void standaloneIngressResourceIsReplacedNotRemoved() {
        String rule = """
                Resources:
                  In:
                    Type: AWS::EC2::SecurityGroupIngress
                    Properties:
                      IpProtocol: tcp
                      FromPort: 3389
                      ToPort: 3389
                      CidrIp: 0.0.0.0/0
                """;
        PatchOperation remove = op("cloudformation.remove_list_item", Map.of("match", Map.of("CidrIp", "0.0.0.0/0")));
        assertThat(Fixtures.apply(remove, file("t.yaml", rule), addr("In"))).isInstanceOfSatisfying(
                PatchResult.CannotPatch.class, c -> assertThat(c.code()).isEqualTo(Outcomes.UNSAFE_EDIT));
        PatchOperation replace = op("cloudformation.replace_list_item", Map.of("match", Map.of("CidrIp", "0.0.0.0/0"),
                "set", Map.of("CidrIp", "10.0.0.0/8")));
        assertThat(changed(replace, file("t.yaml", rule), addr("In"))).isEqualTo(rule.replace("0.0.0.0/0", "10.0.0.0/8"));
    }

    private static final Map<String, Object> TO_REDIRECT = Map.of("property", "DefaultActions",
            "match", Map.of("Type", "forward"), "unset", java.util.List.of("TargetGroupArn", "ForwardConfig"));

    @Test
    void unsetDropsFieldsOfMatchingItemsInEveryStyle() {
        String yaml = """
                Resources:
                  L:
                    Type: AWS::ElasticLoadBalancingV2::Listener
                    Properties:
                      DefaultActions:
                        - TargetGroupArn: !Ref App
                          Type: forward
                          Order: 1
                        - Type: fixed-response
                          FixedResponseConfig: {StatusCode: "404"}
                """;
        assertThat(changed(op("cloudformation.replace_list_item", TO_REDIRECT), file("t.yaml", yaml), addr("L")))
                .isEqualTo(yaml.replace("- TargetGroupArn: !Ref App\n          Type: forward", "- Type: forward"));

        String flow = """
                Resources:
                  L:
                    Type: AWS::ElasticLoadBalancingV2::Listener
                    Properties:
                      DefaultActions: [{Type: forward, TargetGroupArn: !Ref App}]
                """;
        assertThat(changed(op("cloudformation.replace_list_item", TO_REDIRECT), file("t.yaml", flow), addr("L")))
                .isEqualTo(flow.replace("{Type: forward, TargetGroupArn: !Ref App}", "{Type: forward}"));

        String json = """
                {"Resources": {"L": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
                  "DefaultActions": [
                    {
                      "TargetGroupArn": {"Ref": "App"},
                      "Type": "forward",
                      "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": {"Ref": "App"}}]}
                    }
                  ]}}}}
                """;
        assertThat(changed(op("cloudformation.replace_list_item", TO_REDIRECT), file("t.json", json), addr("L")))
                .isEqualTo("""
                        {"Resources": {"L": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
                          "DefaultActions": [
                            {
                              "Type": "forward"
                            }
                          ]}}}}
                        """);
    }

    @Test
    void unsetNeverEmptiesAnItem() {
        String yaml = """
                Resources:
                  L:
                    Type: AWS::ElasticLoadBalancingV2::Listener
                    Properties:
                      DefaultActions:
                        - TargetGroupArn: !Ref App
                """;
        PatchOperation op = op("cloudformation.replace_list_item", Map.of("property", "DefaultActions",
                "match", Map.of("TargetGroupArn", "x"), "unset", java.util.List.of("TargetGroupArn")));
        // an intrinsic never matches a literal; match on a field the item has
        PatchOperation all = op("cloudformation.replace_list_item", Map.of("property", "DefaultActions",
                "match", Map.of("Type", "forward"), "unset", java.util.List.of("Type", "TargetGroupArn")));
        String one = yaml.replace("- TargetGroupArn: !Ref App", "- Type: forward\n          TargetGroupArn: !Ref App");
        assertThat(Fixtures.apply(all, file("t.yaml", one), addr("L")))
                .isInstanceOfSatisfying(PatchResult.CannotPatch.class, r -> {
                    assertThat(r.code()).isEqualTo(Outcomes.UNSAFE_EDIT);
                    assertThat(r.reason()).contains("would leave L.Properties.DefaultActions[line 6] empty");
                });
        assertThat(Fixtures.apply(op, file("t.yaml", yaml), addr("L"))).isInstanceOf(PatchResult.AlreadyCompliant.class);
    }
}

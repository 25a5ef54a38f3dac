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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AddCompanionResourceTest {

    static final PatchOperation FLOW_LOG = op("cloudformation.add_companion_resource", Map.of(
            "type", "AWS::EC2::FlowLog", "owner_property", "ResourceId", "when_present", "keep",
            "body", new TreeMap<>(Map.of("ResourceType", "VPC", "TrafficType", "ALL"))));

    private static final String VPC = """
            Resources:
              MyVPC:
                Type: AWS::EC2::VPC
                Properties:
                  CidrBlock: !Sub '10.${ClassB}.0.0/16' # per stack
              Other:
                Type: AWS::S3::Bucket
            """;

    @Test
    void addsTheCompanionRightAfterTheOwnerInTheTemplatesStyle() {
        assertThat(changed(FLOW_LOG, file("t.yaml", VPC), addr("MyVPC"))).isEqualTo("""
                Resources:
                  MyVPC:
                    Type: AWS::EC2::VPC
                    Properties:
                      CidrBlock: !Sub '10.${ClassB}.0.0/16' # per stack
                  MyVPCFlowLog:
                    Type: AWS::EC2::FlowLog
                    Properties:
                      ResourceId:
                        Ref: MyVPC
                      ResourceType: VPC
                      TrafficType: ALL
                  Other:
                    Type: AWS::S3::Bucket
                """);
        String shortForms = VPC.replace("Type: AWS::S3::Bucket", "Type: AWS::S3::Bucket\n    Properties:\n      Name: !Ref MyVPC");
        assertThat(changed(FLOW_LOG, file("t.yaml", shortForms), addr("MyVPC"))).contains("      ResourceId: !Ref MyVPC\n");
    }

    @Test
    void jsonGetsAJsonResource() {
        String json = """
                {
                  "Resources": {
                    "MyVPC": {
                      "Type": "AWS::EC2::VPC"
                    }
                  }
                }
                """;
        assertThat(changed(FLOW_LOG, file("t.json", json), addr("MyVPC"))).isEqualTo("""
                {
                  "Resources": {
                    "MyVPC": {
                      "Type": "AWS::EC2::VPC"
                    },
                    "MyVPCFlowLog": {
                      "Type": "AWS::EC2::FlowLog",
                      "Properties": {
                        "ResourceId": {
                          "Ref": "MyVPC"
                        },
                        "ResourceType": "VPC",
                        "TrafficType": "ALL"
                      }
                    }
                  }
                }
                """);
    }

    @Test
    void anExistingCompanionOfThisOwnerCountsAndOneOfAnotherDoesNot() {
        String withLog = VPC + """
                  Log:
                    Type: AWS::EC2::FlowLog
                    Properties:
                      ResourceId: !Ref MyVPC
                      ResourceType: VPC
                      TrafficType: REJECT
                """;
        assertThat(Fixtures.apply(FLOW_LOG, file("t.yaml", withLog), addr("MyVPC"))).isInstanceOf(PatchResult.AlreadyCompliant.class);
        assertThat(Fixtures.apply(FLOW_LOG, file("t.yaml", withLog.replace("!Ref MyVPC", "!Ref MyVPC1")), addr("MyVPC")))
                .isInstanceOf(PatchResult.Changed.class);
        PatchOperation merge = op("cloudformation.add_companion_resource", Map.of("type", "AWS::EC2::FlowLog",
                "owner_property", "ResourceId", "body", Map.of("TrafficType", "ALL")));
        assertThat(changed(merge, file("t.yaml", withLog), addr("MyVPC"))).isEqualTo(withLog.replace("REJECT", "ALL"));
        String two = withLog + withLog.substring(withLog.indexOf("  Log:")).replace("  Log:", "  Log2:");
        assertThat(Fixtures.apply(FLOW_LOG, file("t.yaml", two), addr("MyVPC"))).isInstanceOfSatisfying(
                PatchResult.CannotPatch.class, c -> assertThat(c.code()).isEqualTo(Outcomes.AMBIGUOUS));
    }

    @Test
    void getAttInAnyFormPointsAtItsResource() {
        for (String ref : List.of("!GetAtt MyVPC.VpcId", "!GetAtt [MyVPC, VpcId]", "\n        Fn::GetAtt: [MyVPC, VpcId]")) {
            String t = VPC + "  Log:\n    Type: AWS::EC2::FlowLog\n    Properties:\n      ResourceId: " + ref + "\n";
            assertThat(Fixtures.apply(FLOW_LOG, file("t.yaml", t), addr("MyVPC"))).as(ref)
                    .isInstanceOf(PatchResult.AlreadyCompliant.class);
        }
    }
}

package dev.fixgate.patch.cloudformation;

import static dev.fixgate.patch.Fixtures.addr;
import static dev.fixgate.patch.Fixtures.apply;
import static dev.fixgate.patch.Fixtures.changed;
import static dev.fixgate.patch.Fixtures.file;
import static dev.fixgate.patch.Fixtures.op;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeclareParameterTest {

    private static final PatchOperation OP = op("cloudformation.declare_parameter",
            Map.of("name", "TrailKeyArn", "description", "The KMS key of the trail"));

    @Test
    void aParameterTheTemplateRefersToIsDeclaredInItsParameters() {
        String yaml = """
                Parameters:
                  Env:
                    Type: String
                Resources:
                  Trail:
                    Type: AWS::CloudTrail::Trail
                    Properties:
                      KMSKeyId: !Ref TrailKeyArn
                """;
        assertThat(changed(OP, file("t.yaml", yaml), addr("Trail"))).isEqualTo("""
                Parameters:
                  Env:
                    Type: String
                  TrailKeyArn:
                    Type: String
                    Description: The KMS key of the trail
                Resources:
                  Trail:
                    Type: AWS::CloudTrail::Trail
                    Properties:
                      KMSKeyId: !Ref TrailKeyArn
                """);
    }

    @Test
    void aJsonTemplateWithoutParametersGetsTheSection() {
        String json = """
                {
                  "Resources": {
                    "Trail": {
                      "Type": "AWS::CloudTrail::Trail",
                      "Properties": {"KMSKeyId": {"Ref": "TrailKeyArn"}}
                    }
                  }
                }
                """;
        String out = changed(OP, file("t.json", json), addr("Trail"));
        assertThat(out).contains("\"Parameters\"").contains("\"TrailKeyArn\"").contains("\"Type\": \"String\"");
    }

    @Test
    void nothingWhenNotReferred() {
        String yaml = "Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      KMSKeyId: alias/x\n";
        assertThat(apply(OP, file("t.yaml", yaml), addr("Trail"))).isInstanceOf(PatchResult.AlreadyCompliant.class);
    }
}

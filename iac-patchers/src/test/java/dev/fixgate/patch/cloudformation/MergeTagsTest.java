package dev.fixgate.patch.cloudformation;

import static dev.fixgate.patch.Fixtures.addr;
import static dev.fixgate.patch.Fixtures.changed;
import static dev.fixgate.patch.Fixtures.file;
import static dev.fixgate.patch.Fixtures.op;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.spi.iac.PatchOperation;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MergeTagsTest {

    private static final PatchOperation TAGS = op("cloudformation.merge_tags",
            Map.of("tags", new TreeMap<>(Map.of("Owner", "platform", "Team", "sec"))));

    @Test
    void appendsToAListOfKeyValuePairs() {
        String before = """
                Resources:
                  Fn:
                    Type: AWS::Lambda::Function
                    Properties:
                      Tags:
                        - Key: Owner
                          Value: someone
                      Runtime: python3.12
                """;
        assertThat(changed(TAGS, file("t.yaml", before), addr("Fn"))).isEqualTo(before.replace("""
                          Value: someone
                """, """
                          Value: someone
                        - Key: Team
                          Value: sec
                """));
    }

    @Test
    void usesFileSystemTagsForEfsAndAMapForSam() {
        String efs = "Resources:\n  FS:\n    Type: AWS::EFS::FileSystem\n    Properties:\n      Encrypted: true\n";
        assertThat(changed(TAGS, file("t.yaml", efs), addr("FS"))).isEqualTo(efs
                + "      FileSystemTags:\n        - Key: Owner\n          Value: platform\n        - Key: Team\n          Value: sec\n");
        String sam = """
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: app.handler
                      Tags:
                        Team: sec
                """;
        assertThat(changed(TAGS, file("t.yaml", sam), addr("Fn"))).isEqualTo(sam + "        Owner: platform\n");
    }
}

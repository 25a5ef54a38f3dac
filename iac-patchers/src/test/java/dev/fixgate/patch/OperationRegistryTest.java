package dev.fixgate.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperationRegistryTest {

    @Test
    void everyOperationIsRegisteredOnceUnderItsStableId() {
        assertThat(Fixtures.REGISTRY.factories().keySet()).containsExactly(
                "cloudformation.add_companion_resource", "cloudformation.declare_parameter", "cloudformation.merge_properties", "cloudformation.merge_tags", "cloudformation.remove_list_item",
                "cloudformation.replace_list_item", "cloudformation.set_property",
                "terraform.add_companion_resource", "terraform.declare_variable", "terraform.ensure_block", "terraform.merge_tags", "terraform.remove_attribute",
                "terraform.remove_list_element", "terraform.replace_list_element", "terraform.set_attribute");
        Fixtures.REGISTRY.factories().forEach((id, f) -> assertThat(f.description()).as(id).isNotBlank());
    }

    @Test
    void operationsAreValuesBuiltFromParams() {
        PatchOperation a = Fixtures.op("terraform.set_attribute", Map.of("path", "encrypted", "value", true));
        PatchOperation b = Fixtures.op("terraform.set_attribute", Map.of("path", "encrypted", "value", true));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.id()).isEqualTo("terraform.set_attribute");
        assertThat(a.formats()).containsExactly(IacFormat.TERRAFORM);
    }

    @Test
    void unknownIdsAndBadParamsAreTypedErrors() {
        assertThatThrownBy(() -> Fixtures.op("terraform.nope", Map.of())).isInstanceOfSatisfying(PatchException.class,
                e -> assertThat(e.code()).isEqualTo(PatchException.UNKNOWN_OPERATION));
        assertThatThrownBy(() -> Fixtures.op("terraform.set_attribute", Map.of("path", "x"))).isInstanceOfSatisfying(
                PatchException.class, e -> {
                    assertThat(e.code()).isEqualTo(PatchException.PARAM_INVALID);
                    assertThat(e.getMessage()).contains("terraform.set_attribute").contains("'value'");
                });
        assertThatThrownBy(() -> Fixtures.op("terraform.set_attribute", Map.of("path", "x", "value", 1, "valu", 2)))
                .hasMessageContaining("unknown parameter(s) [valu]");
        assertThatThrownBy(() -> Fixtures.op("terraform.set_attribute", Map.of("path", "a..b", "value", 1)))
                .hasMessageContaining("not an HCL identifier");
        assertThatThrownBy(() -> Fixtures.op("terraform.ensure_block", Map.of("attributes", Map.of("x", 1), "nested_as", "tree")))
                .hasMessageContaining("nested_as");
        assertThatThrownBy(() -> Fixtures.op("cloudformation.replace_list_item", Map.of("match", Map.of("CidrIp", "0.0.0.0/0"))))
                .hasMessageContaining("'set'");
        assertThatThrownBy(() -> Fixtures.op("terraform.remove_list_element", Map.of("attribute", "c", "value", "v", "port", "http")))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> Fixtures.op("terraform.merge_tags", Map.of("tags", Map.of("a", List.of(1)))))
                .hasMessageContaining("tags.a");
        assertThatThrownBy(() -> Fixtures.op("terraform.set_attribute", Map.of("path", "x", "value", 1, "unless", List.of())))
                .hasMessageContaining("unless");
    }

    @Test
    void twoFactoriesClaimingOneIdIsAPackagingError() {
        OperationFactory f = Fixtures.REGISTRY.factories().get("terraform.set_attribute");
        assertThatThrownBy(() -> OperationRegistry.of(List.of(f, f))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("terraform.set_attribute");
    }

    @Test
    void anUnlessGuardWrapsAnyOperation() {
        PatchOperation op = Fixtures.op("terraform.set_attribute", Map.of("path", "enable_key_rotation", "value", true,
                "unless", Map.of("customer_master_key_spec", List.of("RSA_2048"))));
        String rsa = "resource \"aws_kms_key\" \"k\" {\n  customer_master_key_spec = \"RSA_2048\"\n}\n";
        assertThat(Fixtures.apply(op, Fixtures.tf(rsa), Fixtures.addr("aws_kms_key.k")))
                .isInstanceOfSatisfying(PatchResult.AlreadyCompliant.class, c -> assertThat(c.reason()).contains("RSA_2048"));
        assertThat(Fixtures.apply(op, Fixtures.tf(rsa.replace("RSA_2048", "SYMMETRIC_DEFAULT")), Fixtures.addr("aws_kms_key.k")))
                .isInstanceOf(PatchResult.Changed.class);
        PatchOperation cfn = Fixtures.op("cloudformation.set_property", Map.of("path", "StorageEncrypted", "value", true,
                "unless", Map.of("Engine", "aurora")));
        String db = "Resources:\n  DB:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: aurora\n";
        assertThat(Fixtures.apply(cfn, Fixtures.file("t.yaml", db), Fixtures.addr("DB"))).isInstanceOf(PatchResult.AlreadyCompliant.class);
    }

    @Test
    void operationsRefuseTheOtherFormat() {
        PatchOperation tf = Fixtures.op("terraform.set_attribute", Map.of("path", "x", "value", 1));
        assertThat(Fixtures.apply(tf, Fixtures.file("t.yaml", "Resources: {}\n"), Fixtures.addr("A")))
                .isInstanceOfSatisfying(PatchResult.CannotPatch.class, c -> assertThat(c.code()).isEqualTo(Outcomes.NOT_APPLICABLE));
    }
}

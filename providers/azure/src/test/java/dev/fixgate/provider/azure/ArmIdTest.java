package dev.fixgate.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArmIdTest {

    @Test
    void parsesNestedIdsCaseInsensitively() {
        ArmId id = ArmId.parse("/SUBSCRIPTIONS/s1/resourcegroups/RG/Providers/Microsoft.Sql/servers/srv/databases/db");

        assertThat(id.subscription()).isEqualTo("s1");
        assertThat(id.resourceGroup()).isEqualTo("RG");
        assertThat(id.types()).isEqualTo(List.of("servers", "databases"));
        assertThat(id.type()).isEqualTo("microsoft.sql/servers/databases");
        assertThat(id.within("Microsoft.Sql/servers")).isTrue();
        assertThat(id.ancestor("microsoft.sql/servers").orElseThrow().id())
                .isEqualTo("/subscriptions/s1/resourceGroups/RG/providers/Microsoft.Sql/servers/srv");
        assertThat(id.child("x", "y").name()).isEqualTo("y");
    }

    @Test
    void rejectsMalformedIdsNamingTheProblem() {
        assertThatThrownBy(() -> ArmId.parse("subscriptions/s")).hasMessageContaining("must start with /subscriptions/");
        assertThatThrownBy(() -> ArmId.parse("/subscriptions/s/groups/rg")).hasMessageContaining("segment 3 must be resourceGroups");
        assertThatThrownBy(() -> ArmId.parse("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites"))
                .hasMessageContaining("providers/{namespace}/{type}/{name}");
        assertThatThrownBy(() -> ArmId.parse("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/a'b"))
                .hasMessageContaining("has a character no id has");
        assertThat(ArmId.tryParse("arn:aws:s3:::bucket")).isEmpty();
    }
}

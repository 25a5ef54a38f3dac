package dev.fixgate.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import org.junit.jupiter.api.Test;

class GcpResourceTest {

    static CloudResource r(String account, String region, String type, String id) {
        return new CloudResource(Cloud.GCP, account, region, type, id);
    }

    @Test
    void fullNamesSelfLinksAndBareNames() {
        assertThat(GcpResource.parse(r("p1", "", "", "//storage.googleapis.com/projects/_/buckets/b1")))
                .isEqualTo(new GcpResource(GcpResource.Kind.BUCKET, "p1", "", "b1"));
        assertThat(GcpResource.parse(r("", "", "", "//storage.googleapis.com/b2")).name()).isEqualTo("b2");
        assertThat(GcpResource.parse(r("", "", "", "//compute.googleapis.com/projects/p/zones/z-1/instances/vm")))
                .isEqualTo(new GcpResource(GcpResource.Kind.INSTANCE, "p", "z-1", "vm"));
        assertThat(GcpResource.parse(r("", "", "", "https://www.googleapis.com/compute/v1/projects/p/global/firewalls/fw")))
                .isEqualTo(new GcpResource(GcpResource.Kind.FIREWALL, "p", "", "fw"));
        assertThat(GcpResource.parse(r("", "", "", "//container.googleapis.com/projects/p/zones/z/clusters/c")).kind())
                .isEqualTo(GcpResource.Kind.CLUSTER);
        assertThat(GcpResource.parse(r("", "", "", "//cloudsql.googleapis.com/projects/p/instances/db")).kind())
                .isEqualTo(GcpResource.Kind.SQL_INSTANCE);
        assertThat(GcpResource.parse(r("p", "europe-west1-b", "google_compute_instance", "vm")).assetName())
                .isEqualTo("//compute.googleapis.com/projects/p/zones/europe-west1-b/instances/vm");
        assertThat(GcpResource.parse(r("p", "", "storage.googleapis.com/Bucket", "b")).kind()).isEqualTo(GcpResource.Kind.BUCKET);
    }

    @Test
    void badNamesSayWhatIsWrong() {
        assertThatThrownBy(() -> GcpResource.parse(r("p", "", "google_compute_instance", "vm")))
                .hasMessageContaining("needs its zone or location in region");
        assertThatThrownBy(() -> GcpResource.parse(r("p", "", "aws_s3_bucket", "b")))
                .hasMessageContaining("a bare name needs a type fixgate knows, got 'aws_s3_bucket'");
        assertThatThrownBy(() -> GcpResource.parse(r("p", "", "", "//pubsub.googleapis.com/projects/p/topics/t")))
                .hasMessageContaining("service pubsub.googleapis.com is not one fixgate reads");
        assertThatThrownBy(() -> GcpResource.parse(r("p", "", "", "projects/p/buckets/b")))
                .hasMessageContaining("neither a full resource name");
    }
}

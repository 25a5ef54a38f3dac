package dev.fixgate.bench.locate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps BENCHMARKS.md's code-to-cloud numbers true: the same measurement, its totals and which findings locate where.
 * A change to locate that moves them fails here until BENCHMARKS.md says the new numbers.
 */
class LocateBenchTest {

    @Test
    void theCorpusOnTheDeployedTerraGoatLocatesAsBenchmarksMdSays() throws Exception {
        LocateBench.Measurement m = LocateBench.measure(Path.of("../.."));

        assertThat(m.rows()).hasSize(46);
        assertThat(m.count(LocateBench.Row::typeDeployed)).isEqualTo(24);
        assertThat(m.count(r -> r.before().equals("located"))).isZero();
        assertThat(m.rows()).filteredOn(r -> r.after().equals("located"))
                .extracting(r -> r.control() + " → " + r.via().substring(0, r.via().indexOf(" ←")))
                .containsExactly(
                        "EC2.15 → terraform/aws/ec2.tf aws_subnet.web_subnet",
                        "EC2.2 → terraform/aws/ec2.tf aws_vpc.web_vpc",
                        "EC2.6 → terraform/aws/eks.tf aws_vpc.eks_vpc",
                        "EC2.8 → terraform/aws/ec2.tf aws_instance.web_host");
        assertThat(m.count(r -> !r.afterWithPlaybook().equals("no playbook"))).isEqualTo(25);
        assertThat(m.count(r -> r.beforeWithPlaybook().equals("located"))).isZero();
        assertThat(m.count(r -> r.afterWithPlaybook().equals("located"))).isEqualTo(4);
        assertThat(m.stateInstances()).isEqualTo(63);
    }
}

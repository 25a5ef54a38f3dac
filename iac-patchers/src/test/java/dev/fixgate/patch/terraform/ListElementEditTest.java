package dev.fixgate.patch.terraform;

import static dev.fixgate.patch.Fixtures.addr;
import static dev.fixgate.patch.Fixtures.changed;
import static dev.fixgate.patch.Fixtures.op;
import static dev.fixgate.patch.Fixtures.tf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.patch.Fixtures;
import dev.fixgate.patch.Outcomes;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListElementEditTest {

    private static final String SG = """
            resource "aws_security_group" "web" {
              name = "web"

              ingress {
                from_port   = 443
                to_port     = 443
                protocol    = "tcp"
                cidr_blocks = ["0.0.0.0/0"] # public https is intended
              }

              ingress {
                from_port   = 22
                to_port     = 22
                protocol    = "tcp"
                cidr_blocks = ["0.0.0.0/0", "10.0.0.0/8"]
              }
            }
            """;

    @Test
    void removesTheOpenRangeFromTheRuleCoveringThePortOnly() {
        PatchOperation op = op("terraform.remove_list_element",
                Map.of("block", "ingress", "attribute", "cidr_blocks", "value", "0.0.0.0/0", "port", 22));
        assertThat(changed(op, tf(SG), addr("aws_security_group.web")))
                .isEqualTo(SG.replace("[\"0.0.0.0/0\", \"10.0.0.0/8\"]", "[\"10.0.0.0/8\"]"));
    }

    @Test
    void aStandaloneRuleIsEditedOnlyWhenItsOwnPortsCoverThePort() {
        String https = """
                resource "aws_security_group_rule" "https" {
                  type        = "ingress"
                  from_port   = 443
                  to_port     = 443
                  protocol    = "tcp"
                  cidr_blocks = ["0.0.0.0/0"]
                }
                """;
        PatchOperation op = op("terraform.replace_list_element", Map.of("attribute", "cidr_blocks",
                "value", "0.0.0.0/0", "replacement", "10.0.0.0/8", "port", 22));
        assertThat(op.apply(tf(https), addr("aws_security_group_rule.https")))
                .isInstanceOf(PatchResult.AlreadyCompliant.class);
        String ssh = https.replace("443", "22");
        assertThat(changed(op, tf(ssh), addr("aws_security_group_rule.https")))
                .isEqualTo(ssh.replace("[\"0.0.0.0/0\"]", "[\"10.0.0.0/8\"]"));
    }

    @Test
    void aFindingLinePicksTheRule() {
        PatchOperation op = op("terraform.replace_list_element", Map.of("block", "ingress",
                "attribute", "cidr_blocks", "value", "0.0.0.0/0", "replacement", "10.0.0.0/8"));
        String after = changed(op, tf(SG), new ResourceSelector.ByLine(8));
        assertThat(after).isEqualTo(SG.replace("[\"0.0.0.0/0\"] #", "[\"10.0.0.0/8\"] #"));
    }

    @Test
    void replacingWhereTheReplacementIsPresentRemovesInstead() {
        PatchOperation op = op("terraform.replace_list_element", Map.of("block", "ingress",
                "attribute", "cidr_blocks", "value", "0.0.0.0/0", "replacement", "10.0.0.0/8", "port", 22));
        assertThat(changed(op, tf(SG), addr("aws_security_group.web")))
                .isEqualTo(SG.replace("[\"0.0.0.0/0\", \"10.0.0.0/8\"]", "[\"10.0.0.0/8\"]"));
    }

    @Test
    void refusesToEmptyTheList() {
        PatchOperation op = op("terraform.remove_list_element",
                Map.of("block", "ingress", "attribute", "cidr_blocks", "value", "0.0.0.0/0", "port", 443));
        assertThat(Fixtures.apply(op, tf(SG), addr("aws_security_group.web"))).isInstanceOfSatisfying(
                PatchResult.CannotPatch.class, c -> {
                    assertThat(c.code()).isEqualTo(Outcomes.UNSAFE_EDIT);
                    assertThat(c.location().line()).isEqualTo(8);
                });
    }

    @Test
    void multiLineListsLoseWholeLines() {
        String before = """
                resource "aws_security_group_rule" "r" {
                  type = "ingress"
                  cidr_blocks = [
                    "10.0.0.0/8",
                    "0.0.0.0/0", # oops
                    "192.168.0.0/16",
                  ]
                  ipv6_cidr_blocks = ["::/0", "fd00::/8"]
                }
                """;
        PatchOperation op = op("terraform.remove_list_element",
                Map.of("attribute", List.of("cidr_blocks", "ipv6_cidr_blocks"), "value", List.of("0.0.0.0/0", "::/0")));
        assertThat(changed(op, tf(before), addr("aws_security_group_rule.r"))).isEqualTo("""
                resource "aws_security_group_rule" "r" {
                  type = "ingress"
                  cidr_blocks = [
                    "10.0.0.0/8",
                    "192.168.0.0/16",
                  ]
                  ipv6_cidr_blocks = ["fd00::/8"]
                }
                """);
    }

    @Test
    void lastElementGoesWithItsSeparator() {
        String before = "resource \"aws_security_group_rule\" \"r\" {\n  cidr_blocks = [\"10.0.0.0/8\", \"0.0.0.0/0\"]\n}\n";
        PatchOperation op = op("terraform.remove_list_element", Map.of("attribute", "cidr_blocks", "value", "0.0.0.0/0"));
        assertThat(changed(op, tf(before), addr("aws_security_group_rule.r")))
                .isEqualTo("resource \"aws_security_group_rule\" \"r\" {\n  cidr_blocks = [\"10.0.0.0/8\"]\n}\n");
    }

    @Test
    void rulesFromADynamicBlockAreNotAssumedClosed() {
        String before = """
                resource "aws_security_group" "sg" {
                  dynamic "ingress" {
                    for_each = var.rules
                    content {
                      from_port   = ingress.value.port
                      to_port     = ingress.value.port
                      protocol    = "tcp"
                      cidr_blocks = ["0.0.0.0/0"]
                    }
                  }
                }
                """;
        PatchOperation op = op("terraform.remove_list_element",
                Map.of("block", "ingress", "attribute", "cidr_blocks", "value", "0.0.0.0/0"));
        assertThat(Fixtures.apply(op, tf(before), addr("aws_security_group.sg"))).isInstanceOfSatisfying(
                PatchResult.CannotPatch.class, c -> {
                    assertThat(c.code()).isEqualTo(Outcomes.VALUE_IS_EXPRESSION);
                    assertThat(c.location().line()).isEqualTo(2);
                });
        PatchOperation versioning = op("terraform.set_attribute", Map.of("path", "ingress.description", "value", "x"));
        assertThat(Fixtures.apply(versioning, tf(before), addr("aws_security_group.sg")))
                .isInstanceOf(PatchResult.CannotPatch.class);
    }

    @Test
    void scalarCidrIsReplaced() {
        String before = "resource \"aws_vpc_security_group_ingress_rule\" \"r\" {\n  cidr_ipv4 = \"0.0.0.0/0\"\n}\n";
        PatchOperation op = op("terraform.replace_list_element",
                Map.of("attribute", "cidr_ipv4", "value", "0.0.0.0/0", "replacement", "10.0.0.0/8"));
        assertThat(changed(op, tf(before), addr("aws_vpc_security_group_ingress_rule.r")))
                .isEqualTo(before.replace("0.0.0.0/0", "10.0.0.0/8"));
    }

    @Test
    void azureNsgInlineRulesAreFilteredByPortSpecAndWhere() {
        String nsg = """
                resource "azurerm_network_security_group" "web" {
                  name = "web"

                  security_rule {
                    name                   = "https"
                    direction              = "Inbound"
                    access                 = "Allow"
                    destination_port_range = "443"
                    source_address_prefix  = "*"
                  }

                  security_rule {
                    name                    = "mgmt"
                    direction               = "Inbound"
                    access                  = "Allow"
                    destination_port_ranges = ["443", "20-30"]
                    source_address_prefix   = "Internet"
                  }

                  security_rule {
                    name                   = "deny"
                    direction              = "Inbound"
                    access                 = "Deny"
                    destination_port_range = "*"
                    source_address_prefix  = "*"
                  }
                }
                """;
        PatchOperation op = op("terraform.replace_list_element", Map.of("block", "security_rule",
                "attribute", "source_address_prefix", "value", List.of("*", "Internet"), "replacement", "VirtualNetwork",
                "port", 22, "where", Map.of("direction", "Inbound", "access", List.of("Allow"))));
        assertThat(changed(op, tf(nsg), addr("azurerm_network_security_group.web")))
                .isEqualTo(nsg.replace("source_address_prefix   = \"Internet\"", "source_address_prefix   = \"VirtualNetwork\""));
    }
}

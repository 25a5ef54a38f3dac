package dev.fixgate.patch.terraform;

import static dev.fixgate.patch.Fixtures.addr;
import static dev.fixgate.patch.Fixtures.apply;
import static dev.fixgate.patch.Fixtures.changed;
import static dev.fixgate.patch.Fixtures.op;
import static dev.fixgate.patch.Fixtures.tf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.patch.Outcomes;
import dev.fixgate.patch.PatchException;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoveAttributeTest {

    private static PatchOperation remove(String path) {
        return op("terraform.remove_attribute", Map.of("path", path));
    }

    private static final String LISTENER = """
            resource "aws_lb_listener" "http" {
              load_balancer_arn = aws_lb.web.arn
              port              = 80
              protocol          = "HTTP"

              default_action {
                type             = "forward" # the app
                target_group_arn = aws_lb_target_group.app.arn
              }
            }
            """;

    @Test
    void removesTheAttributeLineAndRealignsTheRunItSetTheColumnFor() {
        assertThat(changed(remove("default_action.target_group_arn"), tf(LISTENER), addr("aws_lb_listener.http")))
                .isEqualTo("""
                        resource "aws_lb_listener" "http" {
                          load_balancer_arn = aws_lb.web.arn
                          port              = 80
                          protocol          = "HTTP"

                          default_action {
                            type = "forward" # the app
                          }
                        }
                        """);
    }

    @Test
    void aRunAlignedToAnotherNameKeepsItsAlignment() {
        assertThat(changed(remove("port"), tf(LISTENER), addr("aws_lb_listener.http")))
                .isEqualTo(LISTENER.replace("  port              = 80\n", ""));
    }

    @Test
    void removesANestedBlockAndTheBlankLineItWouldLeaveBeforeTheBrace() {
        String before = """
                resource "aws_lb_listener" "http" {
                  port = 80

                  default_action {
                    type = "forward"

                    forward {
                      target_group {
                        arn = aws_lb_target_group.blue.arn
                      }
                    }
                  }
                }
                """;
        assertThat(changed(remove("default_action.forward"), tf(before), addr("aws_lb_listener.http"))).isEqualTo("""
                resource "aws_lb_listener" "http" {
                  port = 80

                  default_action {
                    type = "forward"
                  }
                }
                """);
    }

    @Test
    void somethingAlreadyAbsentIsCompliant() {
        assertThat(apply(remove("default_action.fixed_response"), tf(LISTENER), addr("aws_lb_listener.http")))
                .isInstanceOfSatisfying(PatchResult.AlreadyCompliant.class,
                        r -> assertThat(r.reason()).contains("default_action.fixed_response is not set"));
        assertThat(apply(remove("ssl_policy.x"), tf(LISTENER), addr("aws_lb_listener.http")))
                .isInstanceOf(PatchResult.AlreadyCompliant.class);
    }

    @Test
    void refusesWhatItCannotRemoveWithoutGuessing() {
        String twoActions = """
                resource "aws_lb_listener" "http" {
                  default_action {
                    type = "authenticate-oidc"
                  }
                  default_action {
                    type             = "forward"
                    target_group_arn = aws_lb_target_group.app.arn
                  }
                }
                """;
        assertThat(apply(remove("default_action.target_group_arn"), tf(twoActions), addr("aws_lb_listener.http")))
                .isInstanceOfSatisfying(PatchResult.CannotPatch.class, r -> {
                    assertThat(r.code()).isEqualTo(Outcomes.AMBIGUOUS);
                    assertThat(r.location().line()).isEqualTo(5);
                });

        String dynamic = """
                resource "aws_lb_listener" "http" {
                  default_action {
                    type = "forward"
                    dynamic "forward" {
                      for_each = var.weights
                      content {}
                    }
                  }
                }
                """;
        assertThat(apply(remove("default_action.forward"), tf(dynamic), addr("aws_lb_listener.http")))
                .isInstanceOfSatisfying(PatchResult.CannotPatch.class,
                        r -> assertThat(r.code()).isEqualTo(Outcomes.VALUE_IS_EXPRESSION));

        String oneLine = """
                resource "aws_lb_listener" "http" {
                  default_action { type = "forward", target_group_arn = aws_lb_target_group.app.arn }
                }
                """;
        PatchResult r = apply(remove("default_action.target_group_arn"), tf(oneLine), addr("aws_lb_listener.http"));
        assertThat(r).isInstanceOf(PatchResult.CannotPatch.class);
    }

    @Test
    void aPathSegmentMustBeAnIdentifier() {
        assertThatThrownBy(() -> remove("default_action.\"x\""))
                .isInstanceOf(PatchException.class).hasMessageContaining("not an HCL identifier");
    }
}

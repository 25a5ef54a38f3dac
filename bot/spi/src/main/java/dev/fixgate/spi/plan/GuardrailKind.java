package dev.fixgate.spi.plan;

/** Preventive controls that stop a fixed problem from coming back. */
public enum GuardrailKind {
    AWS_SCP, AZURE_POLICY, GCP_ORG_POLICY, CI_CHECK
}

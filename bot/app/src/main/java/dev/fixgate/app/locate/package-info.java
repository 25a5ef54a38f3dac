/**
 * Stage 3, locate: code-to-cloud. Finds the repository, file and resource block (Terraform address or
 * CloudFormation logical id) that own each cloud resource.
 */
package dev.fixgate.app.locate;

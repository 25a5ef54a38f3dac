/**
 * Stage 5, plan: applies a playbook's patch operations to the files in memory, one resource at a time, and
 * composes the fixes of resources that share a pull request: the edits, their diff, the rollback.
 */
package dev.fixgate.app.plan;

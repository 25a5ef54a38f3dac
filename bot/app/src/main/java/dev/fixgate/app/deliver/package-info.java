/**
 * Stage 8, deliver: branch, commit and pull request with its body, labels and check run — or an issue for
 * the owners when the fix is UNSAFE.
 */
package dev.fixgate.app.deliver;

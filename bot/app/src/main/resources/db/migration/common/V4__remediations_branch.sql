-- The remediation job finds the row a delivery belongs to by repository and branch.
CREATE INDEX remediations_branch ON remediations (repo, branch);

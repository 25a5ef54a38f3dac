package dev.fixgate.app.locate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Terraform state file (format version 4) as locate needs it: each managed resource instance's address and the
 * attributes that identify it in its cloud. Nothing else of the state is kept — state can hold secrets (passwords,
 * keys, rendered templates), so attribute values other than the identifiers are skipped unread, and nothing here
 * is ever logged.
 *
 * @param source    where the state came from, for messages ({@code terraform/aws/terraform.tfstate},
 *                  {@code s3://bucket/key})
 * @param workspace the workspace it belongs to ({@code default} unless a workspace directory or key says otherwise)
 * @param instances every instance of every managed resource; data sources are left out
 * @param dataSources how many {@code mode = "data"} resources were skipped
 */
public record TerraformState(String source, String workspace, List<Instance> instances, int dataSources) {

    /** The attributes that identify a deployed object: what a cloud finding's id can be compared with. */
    static final List<String> IDENTIFIERS = List.of("id", "arn", "self_link");

    /**
     * Attributes naming an object the instance owns without a resource block of its own: AWS creates a VPC's
     * default security group, network ACL and route tables with the VPC, and the VPC's block is where code
     * adopts them (the catalog fixes a default security group finding on its {@code aws_vpc}).
     */
    static final List<String> OWNED = List.of("default_security_group_id", "default_network_acl_id",
            "default_route_table_id", "main_route_table_id");

    public TerraformState {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(workspace, "workspace");
        instances = List.copyOf(instances);
    }

    /**
     * One instance of a managed resource.
     *
     * @param module      the module instance path, {@code ""} for the root module, else e.g.
     *                    {@code module.network["eu"].module.vpc}
     * @param type        {@code aws_s3_bucket}
     * @param name        the resource's name label
     * @param key         the instance key of a {@code count} (a {@link Long}) or {@code for_each} (a {@link String})
     *                    resource; empty for a single instance
     * @param identifiers the {@link #IDENTIFIERS} and {@link #OWNED} attributes the instance has, as strings
     * @param deposed     an object kept while its replacement is created ({@code create_before_destroy}): it still
     *                    exists in the cloud and belongs to the same address
     */
    public record Instance(String module, String type, String name, Optional<Object> key, Map<String, String> identifiers,
                           boolean deposed) {
        public Instance {
            Objects.requireNonNull(module, "module");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(key, "key");
            identifiers = Map.copyOf(identifiers);
        }

        /** The resource's address in its module: {@code aws_s3_bucket.logs}, as a block of code is addressed. */
        public String resourceAddress() {
            return type + "." + name;
        }

        /** The full instance address: {@code module.x["k"].aws_s3_bucket.y[0]}. */
        public String address() {
            return (module.isEmpty() ? "" : module + ".") + resourceAddress() + key.map(Instance::keySuffix).orElse("");
        }

        /** The names of the module calls from the root to this instance's module: {@code [network, vpc]}. */
        public List<String> moduleCalls() {
            return ModulePath.calls(module);
        }

        static String keySuffix(Object key) {
            return key instanceof String s ? "[\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]" : "[" + key + "]";
        }
    }

    /** Module instance paths as Terraform writes them in state: {@code module.a}, {@code module.a[0].module.b["k"]}. */
    static final class ModulePath {
        private ModulePath() {
        }

        /** The call names of a valid path; empty for the root module. */
        static List<String> calls(String path) {
            return parse(path).orElseThrow(() -> new IllegalArgumentException("not a module path: " + path));
        }

        /** The call names, or empty when {@code path} is not a module instance path. */
        static Optional<List<String>> parse(String path) {
            List<String> calls = new ArrayList<>();
            int i = 0;
            int n = path.length();
            while (i < n) {
                if (!path.startsWith("module.", i)) {
                    return Optional.empty();
                }
                i += "module.".length();
                int start = i;
                while (i < n && (Character.isLetterOrDigit(path.charAt(i)) || path.charAt(i) == '_' || path.charAt(i) == '-')) {
                    i++;
                }
                if (i == start || !Character.isLetter(path.charAt(start)) && path.charAt(start) != '_') {
                    return Optional.empty();
                }
                calls.add(path.substring(start, i));
                if (i < n && path.charAt(i) == '[') {
                    i = skipKey(path, i);
                    if (i < 0) {
                        return Optional.empty();
                    }
                }
                if (i < n) {
                    if (path.charAt(i) != '.') {
                        return Optional.empty();
                    }
                    i++;
                    if (i == n) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.of(List.copyOf(calls));
        }

        /** Past {@code [0]} or {@code ["k\"ey"]} starting at {@code i}; -1 when malformed. */
        private static int skipKey(String path, int i) {
            int n = path.length();
            i++;
            if (i < n && path.charAt(i) == '"') {
                i++;
                while (i < n && path.charAt(i) != '"') {
                    i += path.charAt(i) == '\\' ? 2 : 1;
                }
                if (i >= n) {
                    return -1;
                }
                i++;
            } else {
                int start = i;
                while (i < n && Character.isDigit(path.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    return -1;
                }
            }
            return i < n && path.charAt(i) == ']' ? i + 1 : -1;
        }
    }
}

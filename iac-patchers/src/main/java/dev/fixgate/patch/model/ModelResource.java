package dev.fixgate.patch.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One resource of a Terraform module or CloudFormation template as plain data, for declarative conditions (CEL)
 * and for the blast radius: its attributes, nested blocks and the resources around it.
 *
 * <p>Terraform bodies follow Terraform's JSON configuration shape: attributes are values (string, long, double,
 * boolean, list, map), nested blocks are lists of maps under the block name (even when there is one), {@code null}
 * attributes are left out. A value we cannot evaluate statically is kept as its source text wrapped in
 * {@code ${...}} (Checkov's convention), so a condition comparing it to a literal is false rather than guessing.
 * CloudFormation bodies are the resource's {@code Properties} with short-form intrinsics in their long JSON form
 * ({@code !Ref X} → {@code {"Ref": "X"}}).
 *
 * @param format       {@code terraform} or {@code cloudformation}
 * @param type         {@code aws_s3_bucket} / {@code AWS::S3::Bucket}
 * @param name         the Terraform name label / the CloudFormation logical id
 * @param address      {@code aws_s3_bucket.logs} / the logical id
 * @param file         the repository-relative path it is declared in
 * @param line         first line of the declaration (1-based)
 * @param endLine      last line of the declaration
 * @param body         attributes and nested blocks / Properties
 * @param companions   resources that reference this one, by type (a bucket's {@code aws_s3_bucket_versioning},
 *                     a VPC's {@code AWS::EC2::FlowLog}); each entry is that resource's body
 * @param referencedBy addresses of everything in the module/template that references this resource: resources,
 *                     {@code output.x}, {@code module.x}, {@code local.x} (Terraform) / logical ids and
 *                     {@code Outputs.x} (CloudFormation)
 * @param multiplicity {@code single}, {@code count = <expr>} or {@code for_each = <expr>}
 */
public record ModelResource(String format, String type, String name, String address, String file, int line,
                            int endLine, Map<String, Object> body, Map<String, List<Map<String, Object>>> companions,
                            List<String> referencedBy, String multiplicity) {

    public ModelResource {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(body, "body");
        companions = Map.copyOf(companions);
        referencedBy = List.copyOf(referencedBy);
        Objects.requireNonNull(multiplicity, "multiplicity");
    }

    /** Whether the resource is declared with {@code count} or {@code for_each}. */
    public boolean repeated() {
        return !multiplicity.equals("single");
    }
}

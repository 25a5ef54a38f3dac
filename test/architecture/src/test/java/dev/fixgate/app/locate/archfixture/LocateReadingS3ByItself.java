package dev.fixgate.app.locate.archfixture;

import dev.fixgate.app.locate.S3StateReader;
import dev.fixgate.app.locate.StateSources;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Deliberate violation: locate building its own S3 reader (its own client and credentials) instead of the configured one. */
public final class LocateReadingS3ByItself {
    public StateSources sources() {
        return new StateSources(Optional.of(new S3StateReader(r -> S3Client.builder().region(Region.of(r)).build(),
                "us-east-1")), 1 << 20);
    }
}

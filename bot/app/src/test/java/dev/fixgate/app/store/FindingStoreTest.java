package dev.fixgate.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.store.FindingStore.Outcome;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingState;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.finding.ResourceRef;
import dev.fixgate.spi.finding.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FindingStoreTest {

    private static final ControlId PAB = ControlId.canonical("aws.s3.bucket.public_access_block");
    private static final CloudResource BUCKET =
            new CloudResource(Cloud.AWS, "123456789012", "us-east-1", "AwsS3Bucket", "arn:aws:s3:::acme-logs");
    private static final Instant SCAN1 = Instant.parse("2026-11-20T08:00:00Z");
    private static final Instant SCAN2 = Instant.parse("2026-11-21T08:00:00Z");

    private static Finding finding(String tool, String id, ResourceRef resource, Severity severity, boolean active,
                                   Instant seen) {
        return new Finding(tool, id, PAB, tool.equals("securityhub") ? "S3.8" : "s3_bucket_level_public_access_block",
                severity, severity.name(), resource, "S3 bucket should block public access", active, seen, seen,
                SourceLocation.at(tool + ".json", 3).withPointer("/Findings/0"));
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void theSameProblemFromTwoToolsIsOneFindingWithTwoSightings(TestDb kind) {
        try (Database db = kind.fresh()) {
            FindingStore store = new FindingStore(db);
            Finding securityHub = finding("securityhub", "arn:aws:securityhub:...:finding/1", BUCKET, Severity.MEDIUM, true, SCAN1);
            Finding prowler = finding("prowler", "prowler-aws-s3-123-acme-logs", BUCKET, Severity.HIGH, true, SCAN1);

            assertThat(store.recordAll(List.of(securityHub, prowler))).containsExactly(Outcome.NEW, Outcome.DUPLICATE);

            assertThat(store.count()).isEqualTo(1);
            assertThat(store.find(securityHub.fingerprint())).hasValueSatisfying(f -> {
                assertThat(f.state()).isEqualTo(FindingState.NEW);
                assertThat(f.severity()).isEqualTo(Severity.HIGH);
                assertThat(f.resource()).isEqualTo(BUCKET);
                assertThat(f.firstSeen()).isEqualTo(SCAN1);
            });
            assertThat(store.sightings(securityHub.fingerprint())).extracting(FindingStore.Sighting::sourceTool)
                    .containsExactly("securityhub", "prowler");
            assertThat(store.sightings(securityHub.fingerprint()).getFirst().raw())
                    .isEqualTo(SourceLocation.at("securityhub.json", 3).withPointer("/Findings/0"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void recordingTheSameRecordAgainChangesNothing(TestDb kind) {
        try (Database db = kind.fresh()) {
            FindingStore store = new FindingStore(db);
            Finding f = finding("securityhub", "id-1", BUCKET, Severity.MEDIUM, true, SCAN1);
            store.record(f);
            var before = store.find(f.fingerprint()).orElseThrow();

            assertThat(store.record(f)).isEqualTo(Outcome.UNCHANGED);
            assertThat(store.find(f.fingerprint())).contains(before);
            assertThat(store.sightings(f.fingerprint())).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void lifecycleFollowsLaterScansOnly(TestDb kind) {
        try (Database db = kind.fresh()) {
            FindingStore store = new FindingStore(db);
            Instant scan3 = SCAN2.plusSeconds(86_400);
            Instant scan4 = scan3.plusSeconds(86_400);

            assertThat(store.record(finding("securityhub", "id-1", BUCKET, Severity.MEDIUM, true, SCAN1))).isEqualTo(Outcome.NEW);
            assertThat(store.record(finding("securityhub", "id-1", BUCKET, Severity.MEDIUM, true, SCAN2))).isEqualTo(Outcome.SEEN_AGAIN);
            assertThat(store.record(finding("securityhub", "id-1", BUCKET, Severity.MEDIUM, false, scan3))).isEqualTo(Outcome.RESOLVED);
            // An older scan from another tool arriving late does not reopen it.
            assertThat(store.record(finding("prowler", "p-1", BUCKET, Severity.MEDIUM, true, SCAN2))).isEqualTo(Outcome.STALE);
            assertThat(store.find(bucketFingerprint()).orElseThrow().state()).isEqualTo(FindingState.RESOLVED);
            assertThat(store.record(finding("prowler", "p-1", BUCKET, Severity.MEDIUM, true, scan4))).isEqualTo(Outcome.REOPENED);

            var stored = store.find(bucketFingerprint()).orElseThrow();
            assertThat(stored.state()).isEqualTo(FindingState.REOPENED);
            assertThat(stored.lastSeen()).isEqualTo(scan4);
            assertThat(stored.stateChanged()).isEqualTo(scan4);
            assertThat(stored.firstSeen()).isEqualTo(SCAN1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void findingsOnCodeKeepTheirFileAndAddress(TestDb kind) {
        try (Database db = kind.fresh()) {
            FindingStore store = new FindingStore(db);
            CodeResource code = new CodeResource("acme/infra", "modules/s3/main.tf", "aws_s3_bucket.logs", "aws_s3_bucket", 12);
            Finding f = finding("checkov", "CKV2_AWS_6:modules/s3/main.tf:12", code, Severity.LOW, true, SCAN1);

            store.record(f);
            assertThat(store.find(f.fingerprint())).hasValueSatisfying(s -> assertThat(s.resource()).isEqualTo(code));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void oversizedSourceValuesAreClippedNotRejected(TestDb kind) {
        try (Database db = kind.fresh()) {
            FindingStore store = new FindingStore(db);
            Finding f = new Finding("securityhub", "i".repeat(5000), PAB, "S3.8", Severity.LOW, "LOW", BUCKET,
                    "t".repeat(5000), true, SCAN1, SCAN1, SourceLocation.of("x.json"));
            assertThat(store.record(f)).isEqualTo(Outcome.NEW);
            assertThat(store.record(f)).isEqualTo(Outcome.UNCHANGED);
            assertThat(store.find(f.fingerprint()).orElseThrow().title()).hasSize(1024);
        }
    }

    private static Fingerprint bucketFingerprint() {
        return Fingerprint.of(PAB, BUCKET);
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aBatchDecidesExactlyAsRecordingOneByOne(TestDb kind) {
        for (long seed = 1; seed <= 3; seed++) {
            // Few resources, tools, ids and scan times, so that the stream repeats, goes back in time,
            // resolves and reopens within one batch.
            Random random = new Random(seed);
            List<Finding> stream = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String tool = random.nextBoolean() ? "securityhub" : "prowler";
                Instant seen = SCAN1.plusSeconds(3600L * random.nextInt(6));
                CloudResource r = new CloudResource(Cloud.AWS, "1", "", "AwsS3Bucket", "arn:aws:s3:::b" + random.nextInt(12));
                stream.add(finding(tool, tool + "-" + random.nextInt(3), r,
                        Severity.values()[random.nextInt(Severity.values().length)], random.nextInt(4) > 0, seen));
            }
            try (Database batchDb = kind.fresh(); Database oneByOneDb = kind.fresh()) {
                FindingStore batch = new FindingStore(batchDb);
                FindingStore oneByOne = new FindingStore(oneByOneDb);

                List<Outcome> batched = batch.recordAll(stream);
                List<Outcome> single = stream.stream().map(oneByOne::record).toList();

                assertThat(batched).as("seed %d", seed).isEqualTo(single);
                for (Finding f : stream) {
                    assertThat(batch.find(f.fingerprint())).isEqualTo(oneByOne.find(f.fingerprint()));
                    assertThat(batch.sightings(f.fingerprint())).isEqualTo(oneByOne.sightings(f.fingerprint()));
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void tagsThatCannotFitTheColumnKeepWhatLocateReads() {
        java.util.Map<String, String> tags = new java.util.TreeMap<>();
        for (int i = 0; i < 60; i++) {
            tags.put("k" + i + "x".repeat(120), "\u0001".repeat(256));
        }
        tags.put("yor_trace", "347af3cd-4f70-4632-aca3-4d5e30ffc0b6");

        String json = FindingStore.tagsJson(tags);

        assertThat(dev.fixgate.app.json.Json.write(tags).length()).isGreaterThan(FindingStore.MAX_TAGS_JSON);
        assertThat(json).isEqualTo("{\"yor_trace\":\"347af3cd-4f70-4632-aca3-4d5e30ffc0b6\"}");
        assertThat(FindingStore.tagsJson(java.util.Map.of("a", "b"))).isEqualTo("{\"a\":\"b\"}");
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aCloudResourcesTagsAreKeptAndALaterScanRefreshesThem(TestDb kind) {
        try (Database db = kind.fresh()) {
            FindingStore store = new FindingStore(db);
            CloudResource tagged = BUCKET.withTags(java.util.Map.of("yor_trace", "0874007d-903a-4b4c-945f-c9c233e13243",
                    "aws:cloudformation:stack-name", "acme-data"));
            Finding first = finding("securityhub", "id-1", tagged, Severity.MEDIUM, true, SCAN1);
            store.record(first);

            assertThat(store.latest(first.fingerprint()).orElseThrow().resource()).isEqualTo(tagged);

            CloudResource retagged = BUCKET.withTags(java.util.Map.of("yor_trace", "11111111-2222-3333-4444-555555555555"));
            assertThat(store.record(finding("securityhub", "id-1", retagged, Severity.MEDIUM, true, SCAN2)))
                    .isEqualTo(Outcome.SEEN_AGAIN);
            assertThat(store.latest(first.fingerprint()).orElseThrow().resource()).isEqualTo(retagged);
            // an older record's tags do not replace newer ones
            store.record(finding("prowler", "p-1", tagged, Severity.MEDIUM, true, SCAN1));
            assertThat(((CloudResource) store.find(first.fingerprint()).orElseThrow().resource()).tags())
                    .containsOnlyKeys("yor_trace").containsValue("11111111-2222-3333-4444-555555555555");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void valuesWithTabsNewlinesAndBackslashesAreStoredAsGiven(TestDb kind) {
        // PostgreSQL's rows go in by COPY, whose text format gives tabs, newlines and backslashes a meaning
        String odd = "a\tb\nc\r\\N \\ \u00e9\u4e2d \"quoted\" 'single' ;";
        CloudResource resource = new CloudResource(Cloud.AWS, "123456789012", "us-east-1", "AwsS3Bucket",
                "arn:aws:s3:::odd\tbucket", java.util.Map.of("owner", odd));
        Finding f = new Finding("securityhub", "id " + odd, PAB, odd, Severity.LOW, odd, resource, "title " + odd, true,
                SCAN1, SCAN1, SourceLocation.at("file\t" + odd + ".json", 7).withPointer("/Findings/" + odd));
        try (Database db = kind.fresh()) {
            FindingStore store = new FindingStore(db);
            assertThat(store.recordAll(List.of(f))).containsExactly(Outcome.NEW);
            FindingStore.StoredFinding stored = store.find(f.fingerprint()).orElseThrow();
            assertThat(stored.title()).isEqualTo("title " + odd);
            assertThat(stored.resource()).isEqualTo(resource);
            FindingStore.Sighting s = store.sightings(f.fingerprint()).getFirst();
            assertThat(s.sourceId()).isEqualTo("id " + odd);
            assertThat(s.sourceControlId()).isEqualTo(odd);
            assertThat(s.raw().source()).isEqualTo("file\t" + odd + ".json");
            assertThat(s.raw().pointer()).isEqualTo("/Findings/" + odd);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aBatchWithItsInitiativesSavesWhatSavingThemOneByOneSaves(TestDb kind) {
        Random random = new Random(7);
        List<Finding> stream = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            CloudResource r = new CloudResource(Cloud.AWS, "1", "", "AwsS3Bucket", "arn:aws:s3:::b" + random.nextInt(40));
            stream.add(finding("securityhub", "sh-" + random.nextInt(60), r, Severity.values()[random.nextInt(4)], true,
                    SCAN1.plusSeconds(3600L * random.nextInt(3))));
        }
        try (Database together = kind.fresh(); Database apart = kind.fresh()) {
            for (int round = 0; round < 2; round++) {
                // the first half's fingerprints in one initiative, every fingerprint in another; the second round
                // repeats both, so that members are found stored and not added again
                List<Fingerprint> half = stream.subList(0, 100).stream().map(Finding::fingerprint).distinct().toList();
                List<Fingerprint> all = stream.stream().map(Finding::fingerprint).distinct().toList();
                List<dev.fixgate.spi.finding.Initiative> groups = List.of(
                        new dev.fixgate.spi.finding.Initiative(dev.fixgate.spi.finding.InitiativeId.of(PAB, "half"), PAB,
                                "half", Severity.LOW, half),
                        new dev.fixgate.spi.finding.Initiative(dev.fixgate.spi.finding.InitiativeId.of(PAB, "all"), PAB,
                                "all", Severity.HIGH, all));
                FindingStore.Recorded recorded = new FindingStore(together).recordAll(stream, groups, SCAN2);
                List<Outcome> single = new FindingStore(apart).recordAll(stream);
                InitiativeStore initiatives = new InitiativeStore(apart);
                List<Integer> added = groups.stream().map(g -> initiatives.save(g, SCAN2)).toList();

                assertThat(recorded.outcomes()).isEqualTo(single);
                assertThat(recorded.added().values()).containsExactlyElementsOf(added);
                assertThat(added).isEqualTo(round == 0 ? List.of(half.size(), all.size()) : List.of(0, 0));
                for (var g : groups) {
                    assertThat(new InitiativeStore(together).members(g.id())).isEqualTo(initiatives.members(g.id()));
                    assertThat(new InitiativeStore(together).find(g.id())).isEqualTo(initiatives.find(g.id()));
                }
            }
        }
    }
}

package dev.fixgate.localaws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fixgate.localaws.Wire.AwsError;
import dev.fixgate.localaws.Wire.Protocol;
import dev.fixgate.localaws.Wire.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A local AWS for fixgate's evidence tests and the demo: one HTTP server on 127.0.0.1 that answers the read APIs the
 * AWS evidence collectors call — S3 (REST-XML), EC2 (EC2 query), IAM, STS, RDS, ELBv2, Redshift, SNS (query XML), CloudTrail,
 * CloudWatch Logs, KMS, ECR (JSON 1.1), DynamoDB (JSON 1.0), Lambda (REST-JSON) and CloudWatch (Smithy RPC v2 CBOR) — from a
 * {@link Model.Scenario}. Every AWS SDK client reaches it by an endpoint override; the SigV4 credential scope of each
 * request says which service and region it is for, its access key which account. Signatures are not checked.
 *
 * <pre>{@code
 * try (LocalAws aws = LocalAws.start(LocalAws.demoScenario())) {
 *     S3Client s3 = S3Client.builder().endpointOverride(aws.endpoint()).forcePathStyle(true)
 *             .region(Region.US_EAST_1).credentialsProvider(aws.credentials()...)...;
 *     aws.throttle("monitoring", "GetMetricData", 2);   // two 400 Throttling answers, then normal
 *     aws.update(s -> ...);                              // change the account while it runs
 *     aws.calls("s3", "ListObjectsV2");                  // how often it was asked
 * }
 * }</pre>
 *
 * See README.md for the scenario format, the services and operations, and the switches.
 */
public final class LocalAws implements AutoCloseable {

    /** The access key of an account's default credentials; the secret is {@link #SECRET}. */
    public static String accessKeyOf(String account) {
        return "AKIALOCAL" + account;
    }

    public static final String SECRET = "local-aws-secret-not-a-secret";

    /** One request as it arrived. */
    public record Call(String service, String operation, String region, String account, Instant at,
                       Map<String, String> params) {
    }

    /** What a fault does. */
    public enum FaultKind { THROTTLE, ACCESS_DENIED, SLOW, ERROR }

    /**
     * An injected fault: for requests of {@code service} (SigV4 name; {@code *} any) and {@code operation}
     * ({@code *} any) in {@code region} (empty: any), {@code times} times ({@code -1}: until cleared).
     */
    public record Fault(String service, String operation, String region, FaultKind kind, int times, Duration delay,
                        int status, String code) {
    }

    private static final Pattern SCOPE = Pattern.compile(
            "Credential=([^/,\\s]+)/\\d{8}/([^/]+)/([^/]+)/aws4_request");

    private final HttpServer server;
    private final ExecutorService pool;
    private final Clock clock;
    private final Object lock = new Object();
    private final Model.Scenario scenario;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<MutableFault> faults = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> pageSizes = new ConcurrentHashMap<>();
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private volatile int queryPolls = 1;

    private final S3Service s3;
    private final Ec2Service ec2;
    private final QueryServices query;
    private final JsonServices json;
    private final CloudWatchService cloudWatch;
    private final LambdaService lambda;

    private static final class MutableFault {
        final Fault fault;
        final AtomicInteger left;

        MutableFault(Fault fault) {
            this.fault = fault;
            this.left = new AtomicInteger(fault.times());
        }
    }

    private LocalAws(Model.Scenario scenario, int port, Clock clock) throws IOException {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.clock = clock;
        this.s3 = new S3Service(this);
        this.ec2 = new Ec2Service(this);
        this.query = new QueryServices(this);
        this.json = new JsonServices(this);
        this.cloudWatch = new CloudWatchService(this);
        this.lambda = new LambdaService(this);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "local-aws");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on a free loopback port with the system clock. */
    public static LocalAws start(Model.Scenario scenario) {
        return start(scenario, 0, Clock.systemUTC());
    }

    /** Starts on {@code port} (0: a free one); relative times in the scenario are resolved against {@code clock}. */
    public static LocalAws start(Model.Scenario scenario, int port, Clock clock) {
        try {
            return new LocalAws(scenario, port, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a scenario file (JSON; see README.md). Unknown fields are refused, to catch typos. */
    public static Model.Scenario scenario(InputStream json) {
        return Wire.JSON.readValue(json, Model.Scenario.class);
    }

    /** The bundled demo account (demo-account.json): the buckets, instance and security group of the demo. */
    public static Model.Scenario demoScenario() {
        try (InputStream in = LocalAws.class.getResourceAsStream("demo-account.json")) {
            return scenario(Objects.requireNonNull(in, "demo-account.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL every service client's endpoint override points to. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    // ---- state -------------------------------------------------------------------------------------------------

    /** Changes the account(s) atomically with respect to requests. */
    public void update(Consumer<Model.Scenario> change) {
        synchronized (lock) {
            change.accept(scenario);
        }
    }

    /** Reads the model under the same lock the requests take. */
    public <T> T read(Function<Model.Scenario, T> reader) {
        synchronized (lock) {
            return reader.apply(scenario);
        }
    }

    /**
     * Adds {@code count} S3 data events for {@code operation} on {@code bucket} to the log group of the account's
     * trail that delivers to CloudWatch Logs, spread over the last {@code over}: over TLS or plain HTTP (no
     * {@code tlsDetails}). What "an old client still downloads over plain HTTP" looks like to CloudTrail.
     */
    public void addS3DataEvents(String account, String region, String bucket, String operation, long count,
                                boolean tls, Duration over) {
        update(s -> {
            Model.Region r = accountOf(s, account).region(region);
            Model.Trail trail = r.trails.stream().filter(t -> !t.logGroup.isEmpty()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no trail delivers to CloudWatch Logs in " + region));
            Model.LogGroup group = r.logGroups.stream().filter(g -> g.name.equals(trail.logGroup)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no log group " + trail.logGroup));
            Model.LogEvents e = new Model.LogEvents();
            e.message = Events.s3DataEvent(account, region, bucket, operation, tls, "arn:aws:iam::" + account + ":user/app");
            e.count = count;
            Instant now = clock.instant();
            e.from = now.minus(over).toString();
            e.to = now.toString();
            group.events.add(e);
        });
    }

    // ---- switches ----------------------------------------------------------------------------------------------

    /** The next {@code times} requests of the operation answer the service's throttling error. */
    public void throttle(String service, String operation, int times) {
        faults.add(new MutableFault(new Fault(service, operation, "", FaultKind.THROTTLE, times, Duration.ZERO, 0, "")));
    }

    /** Every request of the operation (until {@link #clearFaults}) is refused: AccessDenied in the service's shape. */
    public void denyAccess(String service, String operation) {
        faults.add(new MutableFault(new Fault(service, operation, "", FaultKind.ACCESS_DENIED, -1, Duration.ZERO, 0, "")));
    }

    /** Requests of the operation answer after {@code delay} (until {@link #clearFaults}). */
    public void slow(String service, String operation, Duration delay) {
        faults.add(new MutableFault(new Fault(service, operation, "", FaultKind.SLOW, -1, delay, 0, "")));
    }

    /** Adds any fault, e.g. one limited to a region or an arbitrary error code. */
    public void fault(Fault fault) {
        faults.add(new MutableFault(fault));
    }

    public void clearFaults() {
        faults.clear();
    }

    /** At most {@code size} items per page for the operation (whatever the client asks), to exercise paging. */
    public void pageSize(String service, String operation, int size) {
        pageSizes.put(service + ":" + operation, size);
    }

    /** How many GetQueryResults answers say {@code Running} before {@code Complete} (default 1). */
    public void queryPolls(int polls) {
        this.queryPolls = polls;
    }

    int queryPolls() {
        return queryPolls;
    }

    int pageSize(String service, String operation, int requested, int dflt) {
        int size = requested > 0 ? requested : dflt;
        Integer cap = pageSizes.get(service + ":" + operation);
        return cap == null ? size : Math.min(size, cap);
    }

    // ---- inspection --------------------------------------------------------------------------------------------

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public long calls(String service, String operation) {
        return calls.stream().filter(c -> c.service().equals(service) && c.operation().equals(operation)).count();
    }

    /** Requests that would change something (any operation not a read); the collectors must never send one. */
    public List<Call> writes() {
        return calls.stream().filter(c -> !isRead(c.operation())).toList();
    }

    public void clearCalls() {
        calls.clear();
    }

    static boolean isRead(String operation) {
        return operation.matches("(Get|List|Describe|Lookup|Head|Search|Query|Filter|BatchGet|Select|AssumeRole).*")
                || operation.equals("StartQuery");
    }

    // ---- plumbing for the services -----------------------------------------------------------------------------

    Instant now() {
        return clock.instant();
    }

    Instant time(String text) {
        return Model.time(text, clock.instant());
    }

    Object lock() {
        return lock;
    }

    Model.Scenario scenarioUnlocked() {
        return scenario;
    }

    Model.Account account(String id) {
        return accountOf(scenario, id);
    }

    static Model.Account accountOf(Model.Scenario s, String id) {
        for (Model.Account a : s.accounts) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        Model.Account a = new Model.Account();
        a.id = id;
        s.accounts.add(a);
        return a;
    }

    /** Issues session credentials for {@code account} (STS AssumeRole). */
    String issueSession(String account) {
        String key = "ASIALOCAL" + account + sessions.incrementAndGet();
        keys.put(key, account);
        return key;
    }

    /** Context of one request. */
    record Request(String method, String path, String rawQuery, Map<String, String> query, Map<String, String> headers,
                   byte[] body, String service, String region, String account, String accessKey) {

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), "");
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            String auth = headers.getOrDefault("authorization", "");
            Matcher m = SCOPE.matcher(auth);
            String akid = m.find() ? m.group(1) : "";
            String region = m.groupCount() >= 2 && !akid.isEmpty() ? m.group(2) : "us-east-1";
            String service = !akid.isEmpty() ? m.group(3) : guessService(headers, ex.getRequestURI().getPath());
            String account = accountForKey(akid);
            String rawQuery = ex.getRequestURI().getRawQuery();
            Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), rawQuery == null ? "" : rawQuery,
                    Wire.form(rawQuery), headers, body, service, region, account, akid);
            Protocol protocol = protocolOf(service);
            String operation;
            Map<String, String> params = Map.of();
            try {
                operation = operationOf(protocol, req);
                if (protocol == Protocol.QUERY || protocol == Protocol.EC2) {
                    params = Wire.form(req.bodyText());
                }
            } catch (AwsError e) {
                send(ex, errorReply(protocol, e, service));
                return;
            }
            calls.add(new Call(service, operation, region, account, clock.instant(), params));
            Reply reply;
            try {
                applyFaults(service, operation, region, account);
                Model.Region r = read(s -> accountOf(s, account).regions.get(region));
                if (r != null && r.disabled && !service.equals("s3") && !service.equals("iam") && !service.equals("sts")) {
                    throw new AwsError(401, protocol == Protocol.EC2 ? "AuthFailure" : "UnrecognizedClientException",
                            "AWS was not able to validate the provided access credentials (region " + region
                                    + " is not enabled for this account)");
                }
                reply = dispatch(protocol, operation, req, params);
            } catch (AwsError e) {
                reply = errorReply(protocol, e, service);
            } catch (RuntimeException e) {
                reply = errorReply(protocol, new AwsError(500, "InternalFailure", String.valueOf(e)), service);
            }
            send(ex, reply);
        }
    }

    private String accountForKey(String akid) {
        String known = keys.get(akid);
        if (known != null) {
            return known;
        }
        if (akid.startsWith("AKIALOCAL") && akid.length() >= "AKIALOCAL".length() + 12) {
            return akid.substring("AKIALOCAL".length(), "AKIALOCAL".length() + 12);
        }
        return read(s -> s.defaultAccount);
    }

    private void applyFaults(String service, String operation, String region, String account) {
        for (MutableFault mf : faults) {
            Fault f = mf.fault;
            boolean matches = (f.service().equals("*") || f.service().equals(service))
                    && (f.operation().equals("*") || f.operation().equals(operation))
                    && (f.region().isEmpty() || f.region().equals(region));
            if (!matches) {
                continue;
            }
            if (f.times() >= 0 && mf.left.getAndDecrement() <= 0) {
                continue;
            }
            switch (f.kind()) {
                case SLOW -> {
                    try {
                        Thread.sleep(f.delay().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                case THROTTLE -> throw throttling(service);
                case ACCESS_DENIED -> throw new AwsError(accessDeniedStatus(service), accessDeniedCode(service),
                        "User: arn:aws:sts::" + account + ":assumed-role/fixgate-evidence/fixgate is not authorized to"
                                + " perform: " + iamPrefix(service) + ":" + operation + " because no identity-based"
                                + " policy allows the " + iamPrefix(service) + ":" + operation + " action");
                case ERROR -> throw new AwsError(f.status(), f.code(), "injected " + f.code());
            }
        }
    }

    static AwsError throttling(String service) {
        return switch (protocolOf(service)) {
            case REST_XML -> new AwsError(503, "SlowDown", "Please reduce your request rate.");
            case EC2 -> new AwsError(503, "RequestLimitExceeded", "Request limit exceeded.");
            case QUERY, RPC_V2_CBOR -> new AwsError(400, "Throttling", "Rate exceeded");
            case JSON -> new AwsError(400, "ThrottlingException", "Rate exceeded");
            case REST_JSON -> new AwsError(429, "TooManyRequestsException", "Rate exceeded");
        };
    }

    private static int accessDeniedStatus(String service) {
        return protocolOf(service) == Protocol.JSON ? 400 : 403;
    }

    private static String accessDeniedCode(String service) {
        if (service.equals("sns")) {
            return "AuthorizationError"; // SNS's own code for an action the caller may not call
        }
        return switch (protocolOf(service)) {
            case EC2 -> "UnauthorizedOperation";
            case JSON, REST_JSON -> "AccessDeniedException";
            default -> "AccessDenied";
        };
    }

    static String iamPrefix(String service) {
        return switch (service) {
            case "monitoring" -> "cloudwatch";
            default -> service;
        };
    }

    static Protocol protocolOf(String service) {
        return switch (service) {
            case "s3" -> Protocol.REST_XML;
            case "ec2" -> Protocol.EC2;
            case "iam", "sts", "rds", "elasticloadbalancing", "redshift", "sns" -> Protocol.QUERY;
            case "cloudtrail", "logs", "kms", "ecr", "dynamodb" -> Protocol.JSON;
            case "lambda" -> Protocol.REST_JSON;
            case "monitoring" -> Protocol.RPC_V2_CBOR;
            default -> Protocol.JSON;
        };
    }

    private static String guessService(Map<String, String> headers, String path) {
        String target = headers.getOrDefault("x-amz-target", "");
        if (target.startsWith("CloudTrail")) {
            return "cloudtrail";
        }
        if (target.startsWith("Logs")) {
            return "logs";
        }
        if (target.startsWith("TrentService")) {
            return "kms";
        }
        if (target.startsWith("DynamoDB_")) {
            return "dynamodb";
        }
        if (path.startsWith("/service/GraniteServiceVersion20100801")) {
            return "monitoring";
        }
        return "s3";
    }

    private String operationOf(Protocol protocol, Request req) {
        return switch (protocol) {
            case REST_XML -> S3Service.operation(req);
            case EC2, QUERY -> {
                String action = Wire.form(req.bodyText()).getOrDefault("Action", req.query().getOrDefault("Action", ""));
                if (action.isEmpty()) {
                    throw new AwsError(400, "MissingAction", "no Action");
                }
                yield action;
            }
            case JSON -> {
                String target = req.header("x-amz-target");
                int dot = target.lastIndexOf('.');
                if (dot < 0) {
                    throw new AwsError(400, "UnknownOperationException", "no X-Amz-Target");
                }
                yield target.substring(dot + 1);
            }
            case RPC_V2_CBOR -> req.path().substring(req.path().lastIndexOf('/') + 1);
            case REST_JSON -> LambdaService.operation(req);
        };
    }

    private Reply dispatch(Protocol protocol, String operation, Request req, Map<String, String> params) {
        synchronized (lock) {
            return switch (req.service()) {
                case "s3" -> s3.handle(operation, req);
                case "ec2" -> ec2.handle(operation, req, params);
                case "iam", "sts", "rds", "elasticloadbalancing", "redshift", "sns" -> query.handle(operation, req, params);
                case "cloudtrail", "logs", "kms", "ecr", "dynamodb" -> json.handle(operation, req, body(req));
                case "monitoring" -> cloudWatch.handle(operation, req);
                case "lambda" -> lambda.handle(operation, req);
                default -> throw new AwsError(400, "UnknownService", "local-aws does not serve " + req.service());
            };
        }
    }

    private static JsonNode body(Request req) {
        return req.body().length == 0 ? Wire.obj() : Wire.JSON.readTree(req.body());
    }

    private Reply errorReply(Protocol protocol, AwsError e, String service) {
        String requestId = "local-" + Long.toHexString(System.nanoTime());
        Map<String, String> headers = new HashMap<>(e.headers);
        headers.put("x-amzn-RequestId", requestId);
        return switch (protocol) {
            case REST_XML -> new Reply(e.status, "application/xml", new Wire.Xml().open("Error").leaf("Code", e.code)
                    .leaf("Message", e.getMessage()).leaf("RequestId", requestId).toString()
                    .getBytes(StandardCharsets.UTF_8), headers);
            case EC2 -> new Reply(e.status, "text/xml", new Wire.Xml().open("Response").open("Errors").open("Error")
                    .leaf("Code", e.code).leaf("Message", e.getMessage()).close().close().leaf("RequestID", requestId)
                    .toString().getBytes(StandardCharsets.UTF_8), headers);
            case QUERY -> new Reply(e.status, "text/xml", new Wire.Xml().open("ErrorResponse",
                            "https://" + service + ".amazonaws.com/doc/").open("Error")
                    .leaf("Type", e.status >= 500 ? "Receiver" : "Sender").leaf("Code", e.code)
                    .leaf("Message", e.getMessage()).close().leaf("RequestId", requestId).toString()
                    .getBytes(StandardCharsets.UTF_8), headers);
            case JSON -> {
                headers.put("x-amzn-query-error", e.code + ";Sender");
                boolean dynamo = service.equals("dynamodb"); // JSON 1.0, its error types namespaced as DynamoDB sends them
                yield new Reply(e.status, dynamo ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1",
                        Wire.JSON.writeValueAsBytes(Wire.obj().put("__type", dynamo
                                ? "com.amazonaws.dynamodb.v20120810#" + e.code : e.code).put("message", e.getMessage())), headers);
            }
            case REST_JSON -> {
                headers.put("x-amzn-ErrorType", e.code);
                yield new Reply(e.status, "application/json", Wire.JSON.writeValueAsBytes(
                        Wire.obj().put("Type", "User").put("message", e.getMessage())), headers);
            }
            case RPC_V2_CBOR -> {
                headers.put("smithy-protocol", "rpc-v2-cbor");
                headers.put("x-amzn-query-error", e.code + ";" + (e.status >= 500 ? "Receiver" : "Sender"));
                Map<String, Object> err = new java.util.LinkedHashMap<>();
                err.put("__type", "com.amazonaws.cloudwatch#" + e.code);
                err.put("message", e.getMessage());
                yield new Reply(e.status, "application/cbor", Wire.CBOR.writeValueAsBytes(err), headers);
            }
        };
    }

    private static void send(HttpExchange ex, Reply reply) throws IOException {
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        if (!reply.contentType().isEmpty()) {
            ex.getResponseHeaders().set("Content-Type", reply.contentType());
        }
        ex.getResponseHeaders().set("Date", Wire.rfc1123(Instant.now()));
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (head || reply.body().length == 0) {
            ex.sendResponseHeaders(reply.status(), -1);
            return;
        }
        ex.sendResponseHeaders(reply.status(), reply.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(reply.body());
        }
    }

    /** Items of a list, for services that page. */
    static <T> List<T> all(List<T> items) {
        return new ArrayList<>(items);
    }
}

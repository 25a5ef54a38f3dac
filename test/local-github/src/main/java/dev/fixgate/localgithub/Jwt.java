package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.App;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Verifies a GitHub App's JSON Web Token the way GitHub does: RS256 only, signed by the key registered for the app
 * named in {@code iss}, {@code exp} in the future and at most ten minutes after now, {@code iat} not in the future
 * (60 s of clock drift allowed). Every failure is a 401 with GitHub's wording.
 */
final class Jwt {

    static final String UNDECODABLE = "A JSON web token could not be decoded";
    static final String EXP_PAST = "'Expiration time' claim ('exp') must be a numeric value representing the future "
            + "time at which the assertion expires";
    static final String EXP_FAR = "'Expiration time' claim ('exp') is too far in the future";
    static final String IAT = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion "
            + "was issued";
    static final String ISS = "'Issuer' claim ('iss') must be an Integer";

    private Jwt() {}

    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2 && token.startsWith("ey");
    }

    static App verify(String token, Map<Long, App> apps, Instant now) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            throw ApiException.unauthorized(UNDECODABLE);
        }
        JsonNode header;
        JsonNode claims;
        byte[] sig;
        try {
            Base64.Decoder d = Base64.getUrlDecoder();
            header = Json.read(new String(d.decode(parts[0]), StandardCharsets.UTF_8));
            claims = Json.read(new String(d.decode(parts[1]), StandardCharsets.UTF_8));
            sig = d.decode(parts[2]);
        } catch (RuntimeException e) {
            throw ApiException.unauthorized(UNDECODABLE);
        }
        if (!"RS256".equals(header.path("alg").asString(""))) {
            throw ApiException.unauthorized(UNDECODABLE);
        }
        JsonNode iss = claims.get("iss");
        long appId;
        try {
            appId = iss == null ? -1 : iss.isNumber() ? iss.asLong() : Long.parseLong(iss.asString());
        } catch (NumberFormatException e) {
            appId = -1;
        }
        App app = apps.get(appId);
        if (app == null) {
            throw ApiException.unauthorized(appId < 0 ? ISS : "Integration not found");
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(app.publicKey);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(sig)) {
                throw ApiException.unauthorized(UNDECODABLE);
            }
        } catch (GeneralSecurityException e) {
            throw ApiException.unauthorized(UNDECODABLE);
        }
        JsonNode exp = claims.get("exp");
        JsonNode iat = claims.get("iat");
        long nowS = now.getEpochSecond();
        if (iat == null || !iat.isIntegralNumber() || iat.asLong() > nowS + 60) {
            throw ApiException.unauthorized(IAT);
        }
        if (exp == null || !exp.isNumber() || exp.asLong() <= nowS) {
            throw ApiException.unauthorized(EXP_PAST);
        }
        if (exp.asLong() > nowS + 600 + 60) {
            throw ApiException.unauthorized(EXP_FAR);
        }
        return app;
    }
}

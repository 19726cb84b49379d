package dev.tongxing.api.access;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A caller's access token for the hub: given as is, or fetched once with the OAuth 2.0
 * client-credentials grant from a token endpoint (a Keycloak realm's, or the demo hub's development
 * identity), and sent on every call as {@code authorization: Bearer <token>}. Every RPC of the
 * contract needs one; the CLI, the benchmark and the demo's tests all get theirs here.
 */
public final class AccessToken extends CallCredentials {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String token;

    private AccessToken(String token) {
        this.token = token;
    }

    public static AccessToken of(String token) {
        return new AccessToken(token.strip());
    }

    /** @throws TokenUnavailable naming the endpoint and what it answered */
    public static AccessToken fetch(URI tokenUrl, String clientId, String clientSecret) {
        String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret=" + encode(clientSecret);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(tokenUrl)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TokenUnavailable("cannot reach the token endpoint " + tokenUrl + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenUnavailable("interrupted while fetching a token");
        }
        try {
            JsonElement body = JsonParser.parseString(response.body());
            if (response.statusCode() != 200 || !body.isJsonObject() || !body.getAsJsonObject().has("access_token")) {
                String error = body.isJsonObject() && body.getAsJsonObject().has("error")
                        ? body.getAsJsonObject().get("error").getAsString() : "no access_token";
                throw new TokenUnavailable("token endpoint " + tokenUrl + " answered " + response.statusCode() + " (" + error
                        + ") for client " + clientId);
            }
            return new AccessToken(body.getAsJsonObject().get("access_token").getAsString());
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new TokenUnavailable("token endpoint " + tokenUrl + " answered " + response.statusCode() + " with a body that is not a token");
        }
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        applier.apply(headers);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** No token could be had; the message says why. */
    public static final class TokenUnavailable extends RuntimeException {
        public TokenUnavailable(String message) {
            super(message, null, false, false);
        }
    }

}

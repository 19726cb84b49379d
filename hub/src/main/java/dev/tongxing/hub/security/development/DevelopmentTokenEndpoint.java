package dev.tongxing.hub.security.development;

import java.util.Base64;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * DEVELOPMENT ONLY: the development identity's OAuth 2.0 token endpoint on the operations port
 * ({@code POST /dev-identity/token}, client-credentials grant, client authenticated by form fields
 * or HTTP Basic), answering as Keycloak's does, so the CLI gets its token the same way in demo
 * mode and against a real realm.
 */
@RestController
@ConditionalOnDevelopmentIdentity
public class DevelopmentTokenEndpoint {

    public static final String PATH = "/dev-identity/token";

    private final DevelopmentIdentity identity;

    public DevelopmentTokenEndpoint(DevelopmentIdentity identity) {
        this.identity = identity;
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> token(@RequestBody MultiValueMap<String, String> form,
                                                     @RequestHeader(name = "Authorization", required = false) String authorization) {
        if (!"client_credentials".equals(form.getFirst("grant_type"))) {
            return error(HttpStatus.BAD_REQUEST, "unsupported_grant_type", "only grant_type=client_credentials is supported");
        }
        String clientId = form.getFirst("client_id");
        String secret = form.getFirst("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] basic;
            try {
                basic = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8).split(":", 2);
            } catch (IllegalArgumentException e) {
                return error(HttpStatus.UNAUTHORIZED, "invalid_client", "malformed Basic authorization");
            }
            if (basic.length == 2) {
                clientId = basic[0];
                secret = basic[1];
            }
        }
        return identity.issue(clientId, secret)
                .<ResponseEntity<Map<String, Object>>>map(token -> ResponseEntity.ok(Map.of(
                        "access_token", token.accessToken(),
                        "token_type", "Bearer",
                        "expires_in", token.expiresIn().toSeconds())))
                .orElseGet(() -> error(HttpStatus.UNAUTHORIZED, "invalid_client", "unknown client or wrong secret"));
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String description) {
        return ResponseEntity.status(status).body(Map.of("error", code, "error_description", description));
    }
}

package dev.tongxing.hub.support;

import java.util.Optional;
import java.util.Set;

/**
 * The confidential clients of the test Keycloak's realms, with their development secrets and what
 * their access tokens are designed to carry. The realm files are the source of truth
 * ({@code deploy/keycloak/tongxing-realm.json}, {@code keycloak/other-realm.json} on the test
 * classpath); this enum mirrors them so tests name clients instead of repeating strings.
 */
public enum RealmClient {
    SHAANXI_SYSTEM(KeycloakServer.TONGXING, "shaanxi-system", Set.of("province-system"), "61"),
    GUANGDONG_SYSTEM(KeycloakServer.TONGXING, "guangdong-system", Set.of("province-system"), "44"),
    CHECKPOINT_XIAN_NORTH(KeycloakServer.TONGXING, "checkpoint-xian-north", Set.of("checkpoint"), "61"),
    MINISTRY_AUDITOR(KeycloakServer.TONGXING, "ministry-auditor", Set.of("auditor"), null),
    HUB_OPERATOR(KeycloakServer.TONGXING, "hub-operator", Set.of("operator"), null),
    NO_ROLE_CLIENT(KeycloakServer.TONGXING, "no-role-client", Set.of(), null),
    /** Same client id, roles, province and audience as {@link #SHAANXI_SYSTEM}, but realm {@code other}. */
    OTHER_REALM_SHAANXI_SYSTEM(KeycloakServer.OTHER, "shaanxi-system", Set.of("province-system"), "61", "dev-only-other-realm-secret");

    private final String realm;
    private final String clientId;
    private final Set<String> realmRoles;
    private final String province;
    private final String secret;

    RealmClient(String realm, String clientId, Set<String> realmRoles, String province) {
        this(realm, clientId, realmRoles, province, "dev-only-" + clientId + "-secret");
    }

    RealmClient(String realm, String clientId, Set<String> realmRoles, String province, String secret) {
        this.realm = realm;
        this.clientId = clientId;
        this.realmRoles = realmRoles;
        this.province = province;
        this.secret = secret;
    }

    public String realm() {
        return realm;
    }

    public String clientId() {
        return clientId;
    }

    /** The development secret in the realm file; never a production value. */
    public String secret() {
        return secret;
    }

    /** The realm roles the token's {@code realm_access.roles} carries, exactly. */
    public Set<String> realmRoles() {
        return realmRoles;
    }

    /** The token's {@code province} claim; empty for national clients, whose tokens have none. */
    public Optional<String> province() {
        return Optional.ofNullable(province);
    }
}

package dev.tongxing.hub.security;

import java.util.Optional;

/**
 * The realm roles the hub knows. A token role that is not one of these is ignored: it grants
 * nothing, so a misspelt role fails closed.
 */
public enum Role {
    /** Transport hubs, stations, venues: may ask about travelers. */
    CHECKPOINT("checkpoint"),
    /** A province's health-code system: may publish changes for its own residents and hear about its own territory. */
    PROVINCE_SYSTEM("province-system"),
    /** The national ministry: may read and verify the audit log and see region health. */
    AUDITOR("auditor"),
    /** Hub operators: may see region health. */
    OPERATOR("operator");

    private final String realmRole;

    Role(String realmRole) {
        this.realmRole = realmRole;
    }

    /** The role's name in the identity provider's realm, for example {@code province-system}. */
    public String realmRole() {
        return realmRole;
    }

    public static Optional<Role> ofRealmRole(String name) {
        for (Role role : values()) {
            if (role.realmRole.equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}

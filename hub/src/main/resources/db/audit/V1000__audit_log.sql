-- The ministry's audit log: one hash chain per hub replica, and the chain heads each replica
-- signed. Versions 1000 and up belong to the audit log (db/exchange counts from 1), because both
-- locations share one Flyway history. Portable SQL (H2 embedded default, PostgreSQL in production).
-- No raw document or phone numbers: a traveler is the HMAC-SHA256 pseudonym; times are epoch
-- microseconds (UTC) so that the canonical content hashed is the same on every database.

CREATE TABLE audit_record (
    replica_id        VARCHAR(128)  NOT NULL,
    sequence          BIGINT        NOT NULL,
    kind              VARCHAR(24)   NOT NULL,
    recorded_at_us    BIGINT        NOT NULL,
    method            VARCHAR(128)  NOT NULL,
    actor             VARCHAR(256)  NOT NULL,
    caller_roles      VARCHAR(256)  NOT NULL,
    caller_province   VARCHAR(8)    NOT NULL,
    -- Personal part: removed by retention. The chain covers personal_digest instead.
    traveler_pseudonym CHAR(64),
    masked_name       VARCHAR(64),
    personal_salt     CHAR(32),
    personal_digest   CHAR(64)      NOT NULL,
    traveler_province VARCHAR(8)    NOT NULL,
    sources           VARCHAR(512)  NOT NULL,
    provenance        VARCHAR(1024) NOT NULL,
    summary           VARCHAR(512)  NOT NULL,
    verdict           VARCHAR(32)   NOT NULL,
    reason            VARCHAR(1024) NOT NULL,
    trace_id          VARCHAR(64)   NOT NULL,
    previous_hash     CHAR(64)      NOT NULL,
    hash              CHAR(64)      NOT NULL,
    CONSTRAINT audit_record_pk PRIMARY KEY (replica_id, sequence)
);

-- QueryAudit's keyset order: oldest first, ties broken by replica and sequence.
CREATE INDEX audit_record_by_time ON audit_record (recorded_at_us, replica_id, sequence);
CREATE INDEX audit_record_by_traveler ON audit_record (traveler_pseudonym, recorded_at_us);

-- A replica's signature over its chain head (replica, sequence, hash) at one moment.
CREATE TABLE audit_signed_head (
    replica_id  VARCHAR(128)  NOT NULL,
    sequence    BIGINT        NOT NULL,
    hash        CHAR(64)      NOT NULL,
    signed_at_us BIGINT       NOT NULL,
    -- X.509 SubjectPublicKeyInfo of the Ed25519 key, base64.
    public_key  VARCHAR(128)  NOT NULL,
    -- Ed25519 signature over the canonical head text, base64.
    signature   VARCHAR(128)  NOT NULL,
    CONSTRAINT audit_signed_head_pk PRIMARY KEY (replica_id, sequence)
);

-- ProvinceExchange: every status change the hub has applied, and the newest version held per
-- traveler. Portable SQL (H2 embedded default, PostgreSQL in production). No raw document numbers:
-- a traveler is the HMAC-SHA256 pseudonym of document type and number.

CREATE TABLE applied_change (
    province    CHAR(2)                  NOT NULL,
    change_id   VARCHAR(128)             NOT NULL,
    pseudonym   CHAR(64)                 NOT NULL,
    version     BIGINT                   NOT NULL,
    colour      VARCHAR(16)              NOT NULL,
    reason      VARCHAR(512)             NOT NULL,
    valid_until TIMESTAMP WITH TIME ZONE,
    changed_at  TIMESTAMP WITH TIME ZONE,
    applied_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    -- The idempotency key. Scoped to the publishing province so that one province can never
    -- claim (and thereby suppress) another province's change ids.
    CONSTRAINT applied_change_pk PRIMARY KEY (province, change_id)
);

CREATE INDEX applied_change_by_traveler ON applied_change (pseudonym, province, version);

-- One row per traveler and issuing province: the newest applied version. Appliers lock this row
-- (SELECT ... FOR UPDATE), so concurrent streams for one traveler are serialized by the database,
-- on every replica, not by a JVM lock.
CREATE TABLE traveler_head (
    pseudonym CHAR(64)     NOT NULL,
    province  CHAR(2)      NOT NULL,
    version   BIGINT       NOT NULL,
    change_id VARCHAR(128),
    CONSTRAINT traveler_head_pk PRIMARY KEY (pseudonym, province)
);

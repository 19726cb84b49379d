-- The transactional outbox: an applied change is written here in the same transaction as
-- applied_change, so it is published to the change log (Kafka, or the in-process log) at least
-- once and never before it is stored. OutboxRelay moves rows to the log in seq order and deletes
-- them. The notice is the ChangeNotice the subscribers hear (pseudonym and masked number only).

CREATE TABLE change_outbox (
    seq       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pseudonym CHAR(64)                 NOT NULL,
    notice    BYTEA                    NOT NULL,
    stored_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row; a relay locks it (SELECT ... FOR UPDATE) for one batch, so the relays of all replicas
-- take turns and one traveler's changes reach the log in the order they were applied.
CREATE TABLE change_relay_turn (
    id INT NOT NULL PRIMARY KEY
);
INSERT INTO change_relay_turn (id) VALUES (1);

-- The fleet's membership: one lease per live replica, renewed every heartbeat. A replica's share
-- of every source's declared capacity is the capacity divided by the live leases. Times are the
-- database's own clock, so replicas' clocks do not matter.
CREATE TABLE fleet_lease (
    replica_id  VARCHAR(128)             NOT NULL PRIMARY KEY,
    joined_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    renewed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

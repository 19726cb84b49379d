package dev.tongxing.hub.audit;

import dev.tongxing.api.v1.AuditRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit log's SQL: records, signed heads and retention, over PostgreSQL in production and the
 * embedded SQLite file by default ({@link AuditStorage}). Schema in {@code db/audit}; SQL that
 * both run alike.
 */
class AuditStore implements AutoCloseable {

    private static final int DECODED_AT_ONCE = 256;

    /** Lists (roles, sources, provenance) are stored one element a line. */
    private static final String SEPARATOR = "\n";

    private static final String COLUMNS = """
            replica_id, sequence, kind, recorded_at_us, method, actor, caller_roles, caller_province,
            traveler_pseudonym, masked_name, personal_salt, personal_digest, traveler_province, sources,
            provenance, summary, verdict, reason, trace_id, previous_hash, hash""";

    private static final RowMapper<AuditRow> ROWS = AuditStore::row;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    /** A store opened for the log alone, closed with it; nothing when the log shares the hub's. */
    private final AutoCloseable owned;

    AuditStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this(jdbc, transactions, () -> { });
    }

    AuditStore(JdbcTemplate jdbc, TransactionTemplate transactions, AutoCloseable owned) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.owned = owned;
    }

    /** Closes a store of the log's own, once the writer, copier and signer have stopped. */
    @Override
    public void close() throws Exception {
        owned.close();
    }

    /** Appends records in one transaction: all of them are durable, or none. */
    void append(List<AuditRow> rows) {
        transactions.executeWithoutResult(status -> insert(rows));
    }

    /**
     * Appends journaled groups' records after {@code storedSequence} in one transaction, all or
     * none, decoding them {@value #DECODED_AT_ONCE} or so at a time: a copy of thousands of records
     * then holds only a few hundred as objects, whatever the size of the transaction.
     */
    void append(List<JournaledGroup> groups, long storedSequence) {
        transactions.executeWithoutResult(status -> {
            List<AuditRow> decoded = new ArrayList<>(DECODED_AT_ONCE + 64);
            for (JournaledGroup group : groups) {
                decoded.addAll(group.decode(storedSequence));
                if (decoded.size() >= DECODED_AT_ONCE) {
                    insert(decoded);
                    decoded.clear();
                }
            }
            if (!decoded.isEmpty()) {
                insert(decoded);
            }
        });
    }

    private void insert(List<AuditRow> rows) {
        jdbc.batchUpdate(
                "INSERT INTO audit_record (" + COLUMNS + ", traveler_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows, rows.size(), (statement, row) -> {
                    int i = 1;
                    statement.setString(i++, row.replicaId());
                    statement.setLong(i++, row.sequence());
                    statement.setString(i++, row.kind().name());
                    statement.setLong(i++, row.recordedAtMicros());
                    statement.setString(i++, row.method());
                    statement.setString(i++, row.actor());
                    statement.setString(i++, join(row.callerRoles()));
                    statement.setString(i++, row.callerProvince());
                    statement.setString(i++, row.pseudonym());
                    statement.setString(i++, row.maskedName());
                    statement.setString(i++, row.personalSalt());
                    statement.setString(i++, row.personalDigest());
                    statement.setString(i++, row.travelerProvince());
                    statement.setString(i++, join(row.sources()));
                    statement.setString(i++, join(row.provenance()));
                    statement.setString(i++, row.summary());
                    statement.setString(i++, row.verdict());
                    statement.setString(i++, row.reason());
                    statement.setString(i++, row.traceId());
                    statement.setString(i++, row.previousHash());
                    statement.setString(i++, row.hash());
                    statement.setObject(i, TravelerKey.of(row.pseudonym()), Types.BIGINT);
                });
    }

    ChainHead head(String replicaId) {
        List<ChainHead> heads = jdbc.query("""
                SELECT sequence, hash FROM audit_record
                WHERE replica_id = ? AND sequence = (SELECT MAX(sequence) FROM audit_record WHERE replica_id = ?)""",
                (rs, n) -> new ChainHead(replicaId, rs.getLong(1), rs.getString(2)), replicaId, replicaId);
        return heads.isEmpty() ? ChainHead.empty(replicaId) : heads.get(0);
    }

    /** One page of QueryAudit's result: records after the cursor, oldest first. */
    List<AuditRow> page(AuditFilter filter, AuditCursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM audit_record WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (after != null) {
            // The leading range condition lets H2 and PostgreSQL seek the time index; the OR alone makes H2 scan.
            sql.append(" AND recorded_at_us >= ? AND (recorded_at_us > ? OR (recorded_at_us = ? AND (replica_id > ? OR (replica_id = ? AND sequence > ?))))");
            args.addAll(List.of(after.recordedAtMicros(), after.recordedAtMicros(), after.recordedAtMicros(), after.replicaId(),
                    after.replicaId(), after.sequence()));
        }
        filter.fromMicros().ifPresent(from -> {
            sql.append(" AND recorded_at_us >= ?");
            args.add(from);
        });
        filter.toMicros().ifPresent(to -> {
            sql.append(" AND recorded_at_us < ?");
            args.add(to);
        });
        if (!filter.pseudonym().isEmpty()) {
            // The key finds the records through the narrow index; the pseudonym tells apart two that share a key.
            sql.append(" AND traveler_key = ?");
            args.add(TravelerKey.of(filter.pseudonym()));
        }
        equal(sql, args, "traveler_pseudonym", filter.pseudonym());
        filter.kind().ifPresent(kind -> equal(sql, args, "kind", kind.name()));
        equal(sql, args, "actor", filter.actor());
        equal(sql, args, "caller_province", filter.callerProvince());
        equal(sql, args, "verdict", filter.verdict());
        if (!filter.sourceId().isEmpty()) {
            sql.append(" AND (? || sources || ?) LIKE ? ESCAPE '!'");
            args.addAll(List.of(SEPARATOR, SEPARATOR, "%" + SEPARATOR + likeLiteral(filter.sourceId()) + SEPARATOR + "%"));
        }
        sql.append(" ORDER BY recorded_at_us, replica_id, sequence LIMIT ").append(limit);
        return jdbc.query(sql.toString(), ROWS, args.toArray());
    }

    /** Records of one replica's chain with sequence in [from, to], in chain order, at most {@code limit}. */
    List<AuditRow> chain(String replicaId, long from, long to, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM audit_record WHERE replica_id = ? AND sequence >= ? AND sequence <= ?"
                + " ORDER BY sequence LIMIT " + limit, ROWS, replicaId, from, to);
    }

    /** The stored hash of one record, or null. */
    String hashAt(String replicaId, long sequence) {
        List<String> hashes = jdbc.queryForList("SELECT hash FROM audit_record WHERE replica_id = ? AND sequence = ?",
                String.class, replicaId, sequence);
        return hashes.isEmpty() ? null : hashes.get(0);
    }

    long lastSequence(String replicaId) {
        Long last = jdbc.queryForObject("SELECT MAX(sequence) FROM audit_record WHERE replica_id = ?", Long.class, replicaId);
        return last == null ? 0 : last;
    }

    /** Sequence of the newest signed head of one replica; 0 when none was signed yet. */
    long lastSignedSequence(String replicaId) {
        Long last = jdbc.queryForObject("SELECT MAX(sequence) FROM audit_signed_head WHERE replica_id = ?", Long.class, replicaId);
        return last == null ? 0 : last;
    }

    /** Every replica that has records or signed heads, in name order. */
    List<String> replicas() {
        TreeSet<String> replicas = new TreeSet<>(jdbc.queryForList("SELECT DISTINCT replica_id FROM audit_record", String.class));
        replicas.addAll(jdbc.queryForList("SELECT DISTINCT replica_id FROM audit_signed_head", String.class));
        return List.copyOf(replicas);
    }

    void saveSignedHead(SignedHead head) {
        jdbc.update("INSERT INTO audit_signed_head (replica_id, sequence, hash, signed_at_us, public_key, signature) VALUES (?, ?, ?, ?, ?, ?)",
                head.replicaId(), head.sequence(), head.hash(), head.signedAtMicros(), head.publicKey(), head.signature());
    }

    /** Signed heads of one replica, in sequence order. */
    List<SignedHead> signedHeads(String replicaId) {
        return jdbc.query("SELECT replica_id, sequence, hash, signed_at_us, public_key, signature FROM audit_signed_head"
                        + " WHERE replica_id = ? ORDER BY sequence",
                (rs, n) -> new SignedHead(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6)),
                replicaId);
    }

    /** Deletes the personal part of records older than the cutoff; the digest the chain covers stays. */
    int forgetPersonal(Instant cutoff) {
        return jdbc.update("""
                UPDATE audit_record SET traveler_pseudonym = NULL, traveler_key = NULL, masked_name = NULL, personal_salt = NULL
                WHERE recorded_at_us < ? AND (traveler_pseudonym IS NOT NULL OR traveler_key IS NOT NULL OR masked_name IS NOT NULL
                    OR personal_salt IS NOT NULL)""",
                micros(cutoff));
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static void equal(StringBuilder sql, List<Object> args, String column, String value) {
        if (!value.isEmpty()) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static String likeLiteral(String value) {
        return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static String join(List<String> values) {
        return String.join(SEPARATOR, values);
    }

    private static List<String> split(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : Arrays.asList(stored.split(SEPARATOR, -1));
    }

    private static AuditRow row(ResultSet rs, int n) throws SQLException {
        return new AuditRow(
                rs.getString("replica_id"),
                rs.getLong("sequence"),
                kind(rs.getString("kind")),
                rs.getLong("recorded_at_us"),
                rs.getString("method"),
                rs.getString("actor"),
                split(rs.getString("caller_roles")),
                rs.getString("caller_province"),
                rs.getString("traveler_pseudonym"),
                rs.getString("masked_name"),
                rs.getString("personal_salt"),
                rs.getString("personal_digest"),
                rs.getString("traveler_province"),
                split(rs.getString("sources")),
                split(rs.getString("provenance")),
                rs.getString("summary"),
                rs.getString("verdict"),
                rs.getString("reason"),
                rs.getString("trace_id"),
                rs.getString("previous_hash"),
                rs.getString("hash"));
    }

    /** A kind this build does not know (a row written by hand) still hashes to something: it cannot verify. */
    private static AuditRecord.Kind kind(String stored) {
        try {
            return AuditRecord.Kind.valueOf(stored);
        } catch (IllegalArgumentException e) {
            return AuditRecord.Kind.KIND_UNSPECIFIED;
        }
    }
}

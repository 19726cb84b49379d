package dev.tongxing.hub.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit log under {@code tongxing.audit}. Records live in {@code spring.datasource}, schema in
 * {@code classpath:db/audit}.
 *
 * @param replicaId       this replica's chain; empty means host name plus a random suffix, so every
 *                        run starts a chain of its own. Two live processes must never share one.
 * @param signEvery       how often the chain head is signed (and once more at shutdown)
 * @param signingKey      Ed25519 private key, PKCS#8 DER in base64; empty means a key generated
 *                        for this run (demo and tests only: its public key is stored beside each
 *                        signed head, so a production deployment configures and publishes its key)
 * @param retention       after this long the personal fields of a record (pseudonym, masked name)
 *                        and applied status changes are deleted
 * @param retentionEvery  how often retention runs
 * @param maxPending      records waiting for the writer before new ones are refused (fail closed)
 * @param maxBatch        records committed in one transaction at most
 * @param groupWait       how long the writer lets a group gather before committing it, while
 *                        records come faster than one per wait (smoothed over recent groups, see
 *                        {@link GroupGathering}): each commit costs a write and a flush to disk
 *                        whatever its size, so under load fewer, larger groups leave more CPU to
 *                        lookups. Slower than that, a record is committed at once. 0 turns it off.
 * @param queryPageSize   records read from the store at once while streaming a query
 * @param trustedKeys     public keys (X.509 SubjectPublicKeyInfo, base64) whose signed heads
 *                        VerifyAuditChain accepts, for example every replica's published key.
 *                        Empty means any stored key is accepted (demo and tests): then the
 *                        signatures prove only that the heads were not edited, not who signed.
 * @param journal         the write-ahead journal in front of the store (see {@link Journal})
 */
@ConfigurationProperties("tongxing.audit")
public record AuditProperties(
        @DefaultValue("") String replicaId,
        @DefaultValue("10s") Duration signEvery,
        @DefaultValue("") String signingKey,
        @DefaultValue("180d") Duration retention,
        @DefaultValue("1h") Duration retentionEvery,
        @DefaultValue("20000") int maxPending,
        @DefaultValue("1000") int maxBatch,
        @DefaultValue("300us") Duration groupWait,
        @DefaultValue("500") int queryPageSize,
        @DefaultValue List<String> trustedKeys,
        @DefaultValue Journal journal) {

    static final int MAX_REPLICA_ID = 128;

    public AuditProperties {
        if (replicaId == null || replicaId.isBlank()) {
            replicaId = defaultReplicaId();
        }
        if (replicaId.length() > MAX_REPLICA_ID || !replicaId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("tongxing.audit.replica-id must be 1.." + MAX_REPLICA_ID
                    + " characters of letters, digits, '.', '_' or '-'");
        }
        if (signEvery == null || signEvery.isNegative() || signEvery.isZero()) {
            throw new IllegalArgumentException("tongxing.audit.sign-every must be positive");
        }
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("tongxing.audit.retention must be positive, for example 180d");
        }
        if (retentionEvery == null || retentionEvery.isNegative() || retentionEvery.isZero()) {
            throw new IllegalArgumentException("tongxing.audit.retention-every must be positive");
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("tongxing.audit.max-pending must be at least 1");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("tongxing.audit.max-batch must be at least 1");
        }
        if (groupWait == null || groupWait.isNegative() || groupWait.compareTo(Duration.ofMillis(20)) > 0) {
            throw new IllegalArgumentException("tongxing.audit.group-wait must be 0..20ms, got " + groupWait);
        }
        if (queryPageSize < 1 || queryPageSize > 10_000) {
            throw new IllegalArgumentException("tongxing.audit.query-page-size must be in 1..10000");
        }
        journal = journal == null ? Journal.OFF : journal;
        signingKey = signingKey == null ? "" : signingKey.strip();
        trustedKeys = trustedKeys == null ? List.of() : trustedKeys.stream().map(String::strip).toList();
    }

    private static String defaultReplicaId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "hub";
        }
        host = host.replaceAll("[^A-Za-z0-9._-]", "-");
        if (host.length() > 100) {
            host = host.substring(0, 100);
        }
        byte[] suffix = new byte[4];
        ThreadLocalRandom.current().nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }

    /** Never prints the signing key. */
    @Override
    public String toString() {
        return "AuditProperties[replicaId=" + replicaId + ", signEvery=" + signEvery + ", signingKey="
                + (signingKey.isEmpty() ? "generated" : "configured") + ", retention=" + retention
                + ", retentionEvery=" + retentionEvery + ", maxPending=" + maxPending + ", maxBatch=" + maxBatch
                + ", queryPageSize=" + queryPageSize + ", trustedKeys=" + trustedKeys.size() + ", journal=" + journal + "]";
    }

    /**
     * {@code tongxing.audit.journal}: where a record becomes durable. Off, each group of records
     * is committed to the SQL store before the answers go out. On, each group is appended to an
     * append-only file on the replica's own disk before the answers go out, and a copier moves the
     * records into the store in large transactions behind them. An embedded store pays for every
     * commit by rewriting its index pages, so per-answer commits cost more than the lookup itself;
     * the journal turns that into one sequential write per group. Records not yet copied when the
     * process dies are copied at the next start, before it serves (see docs/architecture.md "Audit").
     *
     * <p>Use it only where the directory outlives the process on the same replica (the embedded
     * default, a StatefulSet volume). A pod whose disk goes with it commits to PostgreSQL directly.
     *
     * @param enabled     journal on or off
     * @param dir         the journal's directory; every process needs its own, or a shared disk
     *                    where a starting process copies what a dead one left (files are locked)
     * @param fsync       force each group to the disk before answering: durable against power loss,
     *                    not only against a killed process
     * @param segmentSize a segment file is closed after this many bytes and, once copied, kept to be
     *                    written over (two at most) or deleted
     * @param copyBatch   records copied into the store in one transaction at most
     * @param copyInterval at most one copy per interval (sooner when a batch is full or a query
     *                    waits): the store's cost is per transaction, so fewer, larger copies
     * @param maxBacklog  records journaled but not yet in the store; at this many the writer waits,
     *                    and once its own queue is full callers are refused (fail closed)
     */
    public record Journal(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("") String dir,
            @DefaultValue("true") boolean fsync,
            @DefaultValue("64MB") DataSize segmentSize,
            @DefaultValue("5000") int copyBatch,
            @DefaultValue("500ms") Duration copyInterval,
            @DefaultValue("200000") int maxBacklog) {

        public static final Journal OFF = new Journal(false, "", true, DataSize.ofMegabytes(64), 5000, Duration.ofMillis(500), 200_000);

        public Journal {
            if (enabled && (dir == null || dir.isBlank())) {
                throw new IllegalArgumentException("tongxing.audit.journal.dir must name a directory when the journal is enabled");
            }
            if (segmentSize == null || segmentSize.toBytes() < 1) {
                throw new IllegalArgumentException("tongxing.audit.journal.segment-size must be positive");
            }
            if (copyBatch < 1) {
                throw new IllegalArgumentException("tongxing.audit.journal.copy-batch must be at least 1");
            }
            if (copyInterval == null || copyInterval.isNegative()) {
                throw new IllegalArgumentException("tongxing.audit.journal.copy-interval must not be negative");
            }
            if (maxBacklog < 1) {
                throw new IllegalArgumentException("tongxing.audit.journal.max-backlog must be at least 1");
            }
            dir = dir == null ? "" : dir.strip();
        }
    }
}

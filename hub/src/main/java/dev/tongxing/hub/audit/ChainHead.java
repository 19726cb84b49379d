package dev.tongxing.hub.audit;

/** The newest committed record of one replica's chain: sequence 0 and the genesis hash when empty. */
record ChainHead(String replicaId, long sequence, String hash) {

    static ChainHead empty(String replicaId) {
        return new ChainHead(replicaId, 0, AuditHashes.GENESIS);
    }
}

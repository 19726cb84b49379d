package dev.tongxing.hub.exchange;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.adapters.Masking;
import dev.tongxing.api.v1.ChangeAck;
import dev.tongxing.api.v1.ChangeNotice;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.api.v1.ProvinceExchangeGrpc;
import dev.tongxing.api.v1.StatusChange;
import dev.tongxing.hub.audit.AuditTrail;
import dev.tongxing.hub.audit.AuditedCall;
import dev.tongxing.hub.cache.SourceAnswerCache;
import dev.tongxing.hub.cache.SourceCaches;
import dev.tongxing.hub.config.ExchangeProperties;
import dev.tongxing.hub.lookup.InvalidRequest;
import dev.tongxing.hub.lookup.Provinces;
import dev.tongxing.hub.lookup.TravelerKeys;
import dev.tongxing.hub.security.Caller;
import dev.tongxing.hub.security.CallerNotAllowed;
import dev.tongxing.hub.sources.SourceRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Takes one pushed status change from a province: validates it, applies it durably, shows it to
 * lookups at once and tells the subscribed provinces.
 *
 * <p><b>What a lookup sees.</b> An applied change replaces the province's cached health-code
 * answer for the traveler, so the very next lookup answers with the pushed colour and reason. It is
 * served with provenance CACHED, its age counted from when the hub applied the change: the hub did
 * not fetch it for this request (not LIVE), it is within the freshness window (not STALE), and it
 * was not verified against a signature (not SIGNED_TOKEN). Test and vaccination facts are not part
 * of a change, so they are dropped rather than shown under the change's fresh age; the masked name
 * is kept.
 *
 * <p><b>The province stays the authority.</b> Past the source's {@code fresh-for}, or after a hub
 * restart (the cache starts empty), a lookup asks the province again and its answer wins, even if
 * the hub holds a newer pushed version in its store. A province that pushes a change and then
 * serves an older colour from its own query interface is inconsistent with itself; the hub does not
 * second-guess it and serves what the province answers, labelled LIVE. The store governs only
 * what pushes are accepted (idempotency, version order).
 */
@Component
public class ChangeIntake {

    private static final Logger log = LoggerFactory.getLogger(ChangeIntake.class);

    static final int MAX_CHANGE_ID = 128;
    static final int MAX_REASON = 512;

    private final TravelerKeys keys;
    private final SourceRegistry registry;
    private final SourceCaches caches;
    private final AppliedChangeStore store;
    private final TravelerPseudonyms pseudonyms;
    private final TravelerSightings sightings;
    private final OutboxRelay relay;
    private final Clock clock;
    private final AuditTrail audit;
    /**
     * Newest version shown in the cache per traveler and province. The store orders the applies;
     * this orders the cache writes that follow them, so two streams committing v5 then v6 can never
     * leave v5 in the cache.
     */
    private final Cache<String, Long> shownVersions;
    private final Map<String, Cache<String, AppliedChange>> unseen = new ConcurrentHashMap<>();
    private final long trackedTravelers;

    public ChangeIntake(TravelerKeys keys, SourceRegistry registry, SourceCaches caches, AppliedChangeStore store,
                        TravelerPseudonyms pseudonyms, TravelerSightings sightings, OutboxRelay relay,
                        ExchangeProperties properties, Clock clock, AuditTrail audit) {
        this.keys = keys;
        this.registry = registry;
        this.caches = caches;
        this.store = store;
        this.pseudonyms = pseudonyms;
        this.sightings = sightings;
        this.relay = relay;
        this.clock = clock;
        this.audit = audit;
        this.trackedTravelers = properties.trackedTravelers();
        this.shownVersions = Caffeine.newBuilder()
                .maximumSize(properties.trackedTravelers())
                .expireAfterWrite(Duration.ofHours(1))
                .build();
    }

    /**
     * Decides one change. Every outcome is an acknowledgement; an APPLIED one is durable, and every
     * outcome is in the audit log before it is returned. Call it on the publishing call's thread
     * (the audit reads the caller from the gRPC context).
     *
     * @throws org.springframework.dao.DataAccessException when the store cannot decide; nothing was
     *         acknowledged and the change may be resent
     * @throws dev.tongxing.hub.audit.AuditUnavailable when the outcome could not be audited; the
     *         change may have been applied, and a resend is acknowledged DUPLICATE
     */
    public ChangeAck take(StatusChange change, Caller publisher) {
        AuditedCall call = audit.begin(AuditRecord.Kind.STATUS_CHANGE, ProvinceExchangeGrpc.getPublishStatusChangesMethod().getFullMethodName());
        ChangeAck ack = decide(change, publisher, call);
        audit.changeDecided(call, change, ack);
        return ack;
    }

    private ChangeAck decide(StatusChange change, Caller publisher, AuditedCall call) {
        Valid valid;
        try {
            valid = validate(change, publisher, call);
        } catch (InvalidRequest invalid) {
            return ack(change, ChangeAck.Outcome.REJECTED, invalid.getMessage());
        } catch (CallerNotAllowed denied) {
            log.info("denied a change from client {}: {}", publisher.clientId(), denied.getMessage());
            return ack(change, ChangeAck.Outcome.DENIED, denied.getMessage());
        }
        AppliedChangeStore.Decision decision = store.apply(valid.record(), notice(valid));
        return switch (decision.outcome()) {
            case DUPLICATE -> ack(change, ChangeAck.Outcome.DUPLICATE, "change_id was applied before");
            case SUPERSEDED -> ack(change, ChangeAck.Outcome.SUPERSEDED,
                    "version " + change.getVersion() + " is not newer than the held version " + decision.heldVersion());
            case APPLIED -> {
                show(valid.source(), valid.traveler(), valid.record());
                // Subscribers (on every replica) hear of it from the change log, once the relay moved it there.
                relay.nudge();
                log.debug("applied change {} v{} for traveler {}", valid.record().changeId(), valid.record().version(),
                        valid.record().pseudonym().substring(0, 12));
                yield ack(change, ChangeAck.Outcome.APPLIED, "");
            }
        };
    }

    /**
     * Puts the pushed answer in the province's cache; the cache serves it for every phone variant
     * of the traveler's key. Test and vaccination facts are dropped, the masked name kept.
     */
    private void show(SourceSettings source, SourceQuery traveler, AppliedChange record) {
        SourceAnswerCache cache = caches.of(source.id());
        String maskedName = cache.held(traveler)
                .filter(SourceAnswer.HealthCode.class::isInstance)
                .map(answer -> ((SourceAnswer.HealthCode) answer).maskedName())
                .orElse("");
        SourceAnswer.HealthCode answer = answerOf(source, record, maskedName);
        shownVersions.asMap().compute(record.pseudonym() + "/" + record.province(), (key, shown) -> {
            if (shown != null && shown >= record.version()) {
                return shown;
            }
            cache.put(traveler, answer);
            return record.version();
        });
    }

    private static SourceAnswer.HealthCode answerOf(SourceSettings source, AppliedChange record, String maskedName) {
        return new SourceAnswer.HealthCode(source.id(), record.colour(), record.reason(), record.validUntil(), record.province(),
                record.changedAt().orElse(record.appliedAt()), maskedName, Optional.empty(), Optional.empty());
    }

    /**
     * A change read from the change log, applied on this replica or another: if this replica holds
     * an answer for the traveler (it looked them up, so it knows the document behind the
     * pseudonym), the change replaces it, exactly as on the replica that applied it. Versions
     * already shown are skipped, so reading back this replica's own changes does nothing. A
     * traveler this replica has not looked up is known by pseudonym only: the change is kept
     * until the first lookup of the traveler here, which it then answers instead of the
     * province's system (for the source's {@code fresh-for}, as a pushed answer is served).
     */
    void showApplied(ChangeNotice notice) {
        Optional<SourceSettings> settings = registry.healthCodeFor(notice.getProvince());
        if (settings.isEmpty()) {
            return;
        }
        AppliedChange record = new AppliedChange(notice.getProvince(), notice.getChangeId(), notice.getTravelerPseudonym(),
                notice.getVersion(), notice.getColour(), notice.getReason(),
                notice.hasValidUntil() ? Optional.of(Instant.ofEpochMilli(Timestamps.toMillis(notice.getValidUntil()))) : Optional.empty(),
                notice.hasChangedAt() ? Optional.of(Instant.ofEpochMilli(Timestamps.toMillis(notice.getChangedAt()))) : Optional.empty(),
                Instant.ofEpochMilli(Timestamps.toMillis(notice.getAppliedAt())));
        Optional<SourceQuery> traveler = sightings.keyOf(notice.getTravelerPseudonym());
        if (traveler.isPresent()) {
            show(settings.get(), traveler.get(), record);
        } else {
            unseenChanges(settings.get()).asMap().merge(record.pseudonym(), record,
                    (held, arriving) -> arriving.version() > held.version() ? arriving : held);
        }
    }

    /** Changes waiting for a first lookup here, per health-code source; each source's cache asks them on a miss. */
    private Cache<String, AppliedChange> unseenChanges(SourceSettings source) {
        return unseen.computeIfAbsent(source.id(), id -> {
            SourceAnswerCache cache = caches.of(id);
            Cache<String, AppliedChange> waiting = Caffeine.newBuilder()
                    .maximumSize(trackedTravelers)
                    .expireAfterWrite(registry.properties(id).cache().freshFor())
                    .build();
            cache.answerMissesFrom(key -> {
                if (waiting.estimatedSize() == 0) {
                    return Optional.empty(); // the usual case: no HMAC on the lookup path
                }
                AppliedChange change = waiting.asMap().remove(pseudonyms.of(key));
                if (change == null) {
                    return Optional.empty();
                }
                shownVersions.asMap().merge(change.pseudonym() + "/" + change.province(), change.version(), Math::max);
                return Optional.of(answerOf(source, change, ""));
            });
            return waiting;
        });
    }

    /** What subscribers hear: the change and a pseudonym, never the traveler's numbers. */
    private static ChangeNotice notice(Valid valid) {
        AppliedChange record = valid.record();
        ChangeNotice.Builder notice = ChangeNotice.newBuilder()
                .setChangeId(record.changeId())
                .setTravelerPseudonym(record.pseudonym())
                .setMaskedDocumentNumber(Masking.mask(valid.traveler().documentNumber()))
                .setDocumentType(valid.traveler().documentType())
                .setVersion(record.version())
                .setColour(record.colour())
                .setReason(record.reason())
                .setProvince(record.province())
                .setAppliedAt(Timestamps.fromMillis(record.appliedAt().toEpochMilli()));
        record.validUntil().ifPresent(until -> notice.setValidUntil(Timestamps.fromMillis(until.toEpochMilli())));
        record.changedAt().ifPresent(at -> notice.setChangedAt(Timestamps.fromMillis(at.toEpochMilli())));
        return notice.build();
    }

    private Valid validate(StatusChange change, Caller publisher, AuditedCall call) {
        String changeId = change.getChangeId();
        if (changeId.isBlank()) {
            throw new InvalidRequest("change_id", "is required");
        }
        if (changeId.length() > MAX_CHANGE_ID) {
            throw new InvalidRequest("change_id", "is longer than " + MAX_CHANGE_ID + " characters");
        }
        SourceQuery traveler = call.traveler(keys.validate(change.getTraveler(), "traveler"));
        String own = publisher.province().orElseThrow(() ->
                new CallerNotAllowed("client " + publisher.clientId() + " has no province claim; only a province publishes changes"));
        String province = change.getProvince().isEmpty() ? own : change.getProvince();
        if (!Provinces.isKnown(province)) {
            throw new InvalidRequest("province", "'" + InvalidRequest.printable(province, 8) + "' is not a GB/T 2260 province code");
        }
        if (!province.equals(own)) {
            throw new CallerNotAllowed("province: " + province + " is not the calling province " + own);
        }
        String issuer = issuingProvince(change.getTraveler().getDocumentType(), traveler);
        if (!issuer.equals(own)) {
            throw new CallerNotAllowed("traveler: the document was issued by province " + issuer
                    + "; province " + own + " publishes changes only for documents it issued");
        }
        SourceSettings source = registry.healthCodeFor(province).orElseThrow(() ->
                new InvalidRequest("province", "no health-code source is onboarded for province " + province));
        if (change.getVersion() <= 0) {
            throw new InvalidRequest("version", "must be greater than 0");
        }
        HealthCodeColour colour = change.getColour();
        if (colour != HealthCodeColour.GREEN && colour != HealthCodeColour.YELLOW && colour != HealthCodeColour.RED) {
            throw new InvalidRequest("colour", "must be GREEN, YELLOW or RED");
        }
        if (change.getReason().length() > MAX_REASON) {
            throw new InvalidRequest("reason", "is longer than " + MAX_REASON + " characters");
        }
        Optional<Instant> validUntil = change.hasValidUntil() ? Optional.of(instant(change.getValidUntil(), "valid_until")) : Optional.empty();
        Optional<Instant> changedAt = change.hasChangedAt() ? Optional.of(instant(change.getChangedAt(), "changed_at")) : Optional.empty();
        AppliedChange record = new AppliedChange(province, changeId, pseudonyms.of(traveler), change.getVersion(), colour,
                change.getReason(), validUntil, changedAt, clock.instant());
        return new Valid(traveler, source, record);
    }

    /**
     * Who issued the traveler's document. A resident ID encodes its province, and a publisher's
     * {@code issuing_province} cannot override that: otherwise any province could restate any
     * resident as its own.
     */
    private static String issuingProvince(DocumentType type, SourceQuery traveler) {
        if (type == DocumentType.RESIDENT_ID) {
            String encoded = traveler.documentNumber().substring(0, 2);
            if (!traveler.province().equals(encoded)) {
                throw new CallerNotAllowed("traveler.issuing_province: a resident ID's issuing province is the one its number encodes ("
                        + encoded + "); it cannot be overridden when publishing");
            }
            return encoded;
        }
        return traveler.province();
    }

    private static Instant instant(Timestamp timestamp, String field) {
        if (!Timestamps.isValid(timestamp)) {
            throw new InvalidRequest(field, "is not a valid timestamp");
        }
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private static ChangeAck ack(StatusChange change, ChangeAck.Outcome outcome, String reason) {
        return ChangeAck.newBuilder().setChangeId(change.getChangeId()).setOutcome(outcome).setReason(reason).build();
    }

    /** A change that passed validation, with the traveler's normalized key (in memory only). */
    private record Valid(SourceQuery traveler, SourceSettings source, AppliedChange record) {}
}

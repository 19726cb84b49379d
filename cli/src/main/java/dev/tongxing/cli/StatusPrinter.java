package dev.tongxing.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.VisitedCity;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Prints a unified status for a person at a gate: verdict first, then each component and where it came from. */
final class StatusPrinter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Shanghai"));

    private StatusPrinter() {}

    static void print(TravelerStatus status, boolean json, PrintWriter out) {
        if (json) {
            out.println(toJson(status));
            out.flush();
            return;
        }
        out.printf("Traveler   %s  %s (%s)%n", status.getMaskedName().isEmpty() ? "-" : status.getMaskedName(),
                status.getMaskedDocumentNumber(), status.getDocumentType());
        out.printf("Verdict    %s  [policy %s]%n", status.getVerdict().getDecision(), status.getVerdict().getPolicyId());
        status.getVerdict().getReasonsList().forEach(reason -> out.printf("           - %s%n", reason));
        var code = status.getHealthCode();
        out.printf("Health     %-16s province %s  %s%n", code.getColour(), code.getIssuingProvince(), provenance(code.getProvenance()));
        if (!code.getReason().isEmpty()) {
            out.printf("           reason: %s%n", code.getReason());
        }
        var card = status.getTravelCard();
        out.printf("Travel     %-16s %s  %s%n", card.getColour(), card.getMaskedPhone(), provenance(card.getProvenance()));
        if (card.getCitiesCount() > 0) {
            StringBuilder cities = new StringBuilder();
            for (VisitedCity city : card.getCitiesList()) {
                cities.append(cities.isEmpty() ? "" : ", ").append(city.getName()).append(city.getStarred() ? "*" : "");
            }
            out.printf("           %d-day window: %s%n", card.getWindowDays(), cities);
        }
        if (status.hasTest()) {
            out.printf("Test       %s, sampled %s%n", status.getTest().getResult(), time(status.getTest().getSampledAt()));
        }
        if (status.hasVaccination()) {
            out.printf("Vaccine    %d dose(s)%s%n", status.getVaccination().getDoses(), status.getVaccination().getCourseComplete() ? ", course complete" : "");
        }
        if (status.hasScannedCode()) {
            out.printf("Code       %s%n", scannedCode(status.getScannedCode()));
        }
        out.printf("As of      %s%n", time(status.getAsOf()));
        out.flush();
    }

    static String provenance(Provenance provenance) {
        StringBuilder text = new StringBuilder("[").append(provenance.getKind());
        if (!provenance.getSourceId().isEmpty()) {
            text.append(" from ").append(provenance.getSourceId());
        }
        if (provenance.getKind() == Provenance.Kind.CACHED || provenance.getKind() == Provenance.Kind.STALE
                || provenance.getKind() == Provenance.Kind.SIGNED_TOKEN) {
            text.append(", age ").append(provenance.getAge().getSeconds()).append(" s");
        }
        if (!provenance.getReason().isEmpty()) {
            text.append(": ").append(provenance.getReason());
        }
        return text.append("]").toString();
    }

    static String scannedCode(dev.tongxing.api.v1.ScannedCode code) {
        return switch (code.getKind()) {
            case SIGNED -> "SIGNED by province " + code.getIssuingProvince() + " (key " + code.getKeyId() + "), issued "
                    + time(code.getIssuedAt()) + ", expires " + time(code.getExpiresAt())
                    + (code.getDocumentChecked() ? ", document checked" : ", no document checked");
            case UNSIGNED_LEGACY -> "UNSIGNED legacy code of province " + code.getIssuingProvince() + " (accepted by its configuration; proves nothing)";
            default -> code.getKind().name();
        };
    }

    private static String time(com.google.protobuf.Timestamp timestamp) {
        return TIME.format(Instant.ofEpochMilli(Timestamps.toMillis(timestamp)));
    }

    static String toJson(Message message) {
        try {
            return JsonFormat.printer().print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.tongxing.hub.lookup;

import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.TravelerKey;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** Turns a caller's {@link TravelerKey} into a normalized {@link SourceQuery}, or says which field is wrong. */
@Component
public class TravelerKeys {

    private static final Pattern PASSPORT = Pattern.compile("[A-Z0-9]{5,20}");
    private static final Pattern HK_MACAU_PERMIT = Pattern.compile("[HM](\\d{8}|\\d{10})");
    private static final Pattern PHONE = Pattern.compile("1[3-9]\\d{9}");

    private final Clock clock;

    public TravelerKeys(Clock clock) {
        this.clock = clock;
    }

    /** @param field the request field holding the key, used in error messages (e.g. {@code traveler}) */
    public SourceQuery validate(TravelerKey key, String field) {
        if (key == null || key.equals(TravelerKey.getDefaultInstance())) {
            throw new InvalidRequest(field, "is required");
        }
        String number = key.getDocumentNumber().replace(" ", "").toUpperCase(Locale.ROOT);
        if (number.isEmpty()) {
            throw new InvalidRequest(field + ".document_number", "is required");
        }
        DocumentType type = key.getDocumentType();
        switch (type) {
            case RESIDENT_ID -> ResidentIdNumber.problem(number, LocalDate.now(clock)).ifPresent(problem -> {
                throw new InvalidRequest(field + ".document_number", "not a valid resident ID: " + problem);
            });
            case PASSPORT -> {
                if (!PASSPORT.matcher(number).matches()) {
                    throw new InvalidRequest(field + ".document_number", "a passport number is 5 to 20 letters and digits");
                }
            }
            case HK_MACAU_PERMIT -> {
                if (!HK_MACAU_PERMIT.matcher(number).matches()) {
                    throw new InvalidRequest(field + ".document_number", "an HK/Macau permit number is H or M followed by 8 or 10 digits");
                }
            }
            default -> throw new InvalidRequest(field + ".document_type", "must be RESIDENT_ID, PASSPORT or HK_MACAU_PERMIT");
        }
        String phone = key.getPhoneNumber().replace(" ", "");
        if (!phone.isEmpty() && !PHONE.matcher(phone).matches()) {
            throw new InvalidRequest(field + ".phone_number", "must be 11 digits starting with 1");
        }
        String province = key.getIssuingProvince();
        if (province.isEmpty()) {
            if (type != DocumentType.RESIDENT_ID) {
                throw new InvalidRequest(field + ".issuing_province", "is required for document type " + type);
            }
            province = number.substring(0, 2);
        } else if (!Provinces.isKnown(province)) {
            throw new InvalidRequest(field + ".issuing_province", "'" + InvalidRequest.printable(province, 8) + "' is not a GB/T 2260 province code");
        }
        return new SourceQuery(type, number, phone, province);
    }
}

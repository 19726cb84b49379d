package dev.tongxing.adapters;

import dev.tongxing.api.v1.DocumentType;
import java.util.Objects;

/**
 * One question to one source, from an already validated traveler key.
 *
 * @param documentType   the document kind
 * @param documentNumber normalized document number (upper case, no spaces)
 * @param phoneNumber    11-digit mobile number or empty
 * @param province       GB/T 2260 code of the issuing province
 */
public record SourceQuery(DocumentType documentType, String documentNumber, String phoneNumber, String province) {

    public SourceQuery {
        Objects.requireNonNull(documentType, "documentType");
        Objects.requireNonNull(documentNumber, "documentNumber");
        phoneNumber = phoneNumber == null ? "" : phoneNumber;
        province = province == null ? "" : ProvinceCodes.shared(province);
    }

    /** Never prints the number: records end up in logs and exception messages. */
    @Override
    public String toString() {
        return "SourceQuery[" + documentType + ", province=" + province + "]";
    }
}

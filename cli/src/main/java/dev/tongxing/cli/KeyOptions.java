package dev.tongxing.cli;

import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.TravelerKey;
import picocli.CommandLine.Option;

/** The options that name a traveler. */
final class KeyOptions {

    @Option(names = "--resident-id", description = "GB 11643 resident ID number")
    String residentId;

    @Option(names = "--passport", description = "passport number (needs --province)")
    String passport;

    @Option(names = "--permit", description = "HK/Macau permit number (needs --province)")
    String permit;

    @Option(names = "--phone", description = "mobile number, for the travel card")
    String phone;

    @Option(names = "--province", description = "GB/T 2260 code of the issuing province, e.g. 61")
    String province;

    TravelerKey toKey() {
        TravelerKey.Builder key = TravelerKey.newBuilder();
        if (residentId != null) {
            key.setDocumentType(DocumentType.RESIDENT_ID).setDocumentNumber(residentId);
        } else if (passport != null) {
            key.setDocumentType(DocumentType.PASSPORT).setDocumentNumber(passport);
        } else if (permit != null) {
            key.setDocumentType(DocumentType.HK_MACAU_PERMIT).setDocumentNumber(permit);
        }
        if (phone != null) {
            key.setPhoneNumber(phone);
        }
        if (province != null) {
            key.setIssuingProvince(province);
        }
        return key.build();
    }
}

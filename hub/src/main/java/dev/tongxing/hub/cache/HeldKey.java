package dev.tongxing.hub.cache;

import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.DocumentType;

/**
 * What a source's answers are held under: the part of a traveler's key the source answers for
 * ({@link SourceAnswerCache#keyOf}), as a number where it is one. A resident ID number and a phone
 * number held as text cost a {@link SourceQuery}, a string and its bytes, 88 to 96 bytes an
 * entry; packed, 24 to 32. Every other document is held as given. Whether a key packs depends
 * on the number alone, and a packed key unpacks to exactly the same query, so a traveler is never
 * held under two keys.
 */
sealed interface HeldKey {

    /** The query this key stands for, as the source is asked it. */
    SourceQuery query();

    /** Approximate heap bytes of the key, for the cache's weight. */
    int weight();

    /** A province's health code is about a document, whatever phone a checkpoint adds. */
    static HeldKey document(SourceQuery query) {
        if (query.documentType() == DocumentType.RESIDENT_ID) {
            long packed = PackedResidentId.pack(query.documentNumber());
            if (packed >= 0) {
                return new PackedResidentId(packed, query.province());
            }
        }
        return new AsGiven(query.phoneNumber().isEmpty() ? query
                : new SourceQuery(query.documentType(), query.documentNumber(), "", query.province()));
    }

    /** The travel card is about a phone, whatever document it is shown with. */
    static HeldKey phone(SourceQuery query) {
        long packed = PackedPhone.pack(query.phoneNumber());
        return packed >= 0 ? new PackedPhone(packed)
                : new AsGiven(new SourceQuery(DocumentType.DOCUMENT_TYPE_UNSPECIFIED, "", query.phoneNumber(), ""));
    }

    /** The first {@code count} characters of {@code text} as a decimal number, or -1 if one is not a digit. */
    private static long digits(String text, int count) {
        long value = 0;
        for (int i = 0; i < count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Writes {@code value} as {@code count} decimal digits, zero-padded, at the start of {@code into}. */
    private static void writeDigits(char[] into, int count, long value) {
        for (int i = count - 1; i >= 0; i--) {
            into[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * A resident ID number (17 digits and a check character, a digit or X) as one number: the 17
     * digits times 11, plus the check character's value (X is 10).
     */
    record PackedResidentId(long packed, String province) implements HeldKey {

        private static final int DIGITS = 17;

        static long pack(String number) {
            if (number.length() != DIGITS + 1) {
                return -1;
            }
            long digits = HeldKey.digits(number, DIGITS);
            char check = number.charAt(DIGITS);
            int checkValue = check == 'X' ? 10 : check >= '0' && check <= '9' ? check - '0' : -1;
            return digits < 0 || checkValue < 0 ? -1 : digits * 11 + checkValue;
        }

        @Override
        public SourceQuery query() {
            char[] number = new char[DIGITS + 1];
            long check = packed % 11;
            number[DIGITS] = check == 10 ? 'X' : (char) ('0' + check);
            writeDigits(number, DIGITS, packed / 11);
            return new SourceQuery(DocumentType.RESIDENT_ID, new String(number), "", province);
        }

        @Override
        public int weight() {
            return 32;
        }

        /** Never prints the number: keys can reach logs through the cache's own messages. */
        @Override
        public String toString() {
            return "PackedResidentId[province=" + province + "]";
        }
    }

    /** An 11-digit mobile number, the travel card's key. */
    record PackedPhone(long packed) implements HeldKey {

        private static final int DIGITS = 11;

        static long pack(String number) {
            return number.length() == DIGITS ? HeldKey.digits(number, DIGITS) : -1;
        }

        @Override
        public SourceQuery query() {
            char[] number = new char[DIGITS];
            writeDigits(number, DIGITS, packed);
            return new SourceQuery(DocumentType.DOCUMENT_TYPE_UNSPECIFIED, "", new String(number), "");
        }

        @Override
        public int weight() {
            return 24;
        }

        @Override
        public String toString() {
            return "PackedPhone[]";
        }
    }

    /** Any other key, as the query itself. */
    record AsGiven(SourceQuery query) implements HeldKey {

        @Override
        public int weight() {
            return 32 + AnswerWeights.text(query.documentNumber()) + AnswerWeights.text(query.phoneNumber());
        }
    }
}

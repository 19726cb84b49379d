package dev.tongxing.cli;

import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.TravelerKey;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A manifest CSV file: one traveler per line as {@code entry,document_type,number,phone,province}
 * (phone and province may be empty or left out), read with Apache Commons CSV, so quoted cells,
 * commas inside quotes and CRLF line ends all work. An optional first line naming the columns
 * ({@code entry,...}) is skipped, as are blank lines and lines starting with {@code #}. Every
 * problem is reported with its line and column, all at once, before anything is sent.
 */
final class ManifestFile {

    static final List<String> COLUMNS = List.of("entry", "document_type", "number", "phone", "province");
    private static final int MAX_ENTRY_ID = 128;
    private static final int MAX_PROBLEMS = 20;

    /** One traveler of the manifest and the line it came from. */
    record Entry(int line, String entryId, TravelerKey traveler) {}

    /** The file could not be read as a manifest; the message lists each problem by line and column. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private ManifestFile() {}

    static List<Entry> read(Path file) throws Invalid {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file.getFileName().toString(), reader);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new Invalid(file + ": no such file");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new Invalid(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new Invalid(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    static List<Entry> read(String name, Reader reader) throws IOException, Invalid {
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).setTrim(true).get();
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        long nextLine = 1;
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            for (CSVRecord record : parser) {
                int line = (int) nextLine;
                nextLine = parser.getCurrentLineNumber() + 1;
                if (isBlankOrComment(record) || (entries.isEmpty() && problems.isEmpty() && isHeader(record))) {
                    continue;
                }
                Entry entry = entry(name, line, record, problems);
                if (entry == null) {
                    continue;
                }
                Integer earlier = seen.putIfAbsent(entry.entryId(), line);
                if (earlier != null) {
                    problems.add(at(name, line, 1) + ": entry '" + entry.entryId() + "' repeats line " + earlier + "; each entry needs its own id");
                    continue;
                }
                entries.add(entry);
            }
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                throw new Invalid(name + " line " + nextLine + ": not UTF-8 text");
            }
            // Commons CSV reports a broken quote this way.
            throw new Invalid(name + " line " + nextLine + ": not valid CSV (" + e.getCause().getMessage() + ")");
        }
        if (!problems.isEmpty()) {
            List<String> shown = problems.size() > MAX_PROBLEMS ? problems.subList(0, MAX_PROBLEMS) : problems;
            String more = problems.size() > MAX_PROBLEMS ? "\n... and " + (problems.size() - MAX_PROBLEMS) + " more" : "";
            throw new Invalid(String.join("\n", shown) + more);
        }
        if (entries.isEmpty()) {
            throw new Invalid(name + ": no entries (expected lines of " + String.join(",", COLUMNS) + ")");
        }
        return entries;
    }

    private static boolean isBlankOrComment(CSVRecord record) {
        return (record.size() == 1 && record.get(0).isEmpty()) || record.get(0).startsWith("#");
    }

    private static boolean isHeader(CSVRecord record) {
        return record.get(0).equalsIgnoreCase("entry") || record.get(0).equalsIgnoreCase("entry_id");
    }

    private static String at(String name, int line, int column) {
        return name + " line " + line + ", column " + column + " (" + COLUMNS.get(column - 1) + ")";
    }

    private static Entry entry(String name, int line, CSVRecord record, List<String> problems) {
        if (record.size() < 3 || record.size() > COLUMNS.size()) {
            problems.add(name + " line " + line + ": " + record.size() + " column(s); expected 3 to 5: " + String.join(",", COLUMNS));
            return null;
        }
        int before = problems.size();
        String entryId = record.get(0);
        if (entryId.isEmpty()) {
            problems.add(at(name, line, 1) + ": is empty; each entry needs an id (seat or ticket)");
        } else if (entryId.length() > MAX_ENTRY_ID) {
            problems.add(at(name, line, 1) + ": is longer than " + MAX_ENTRY_ID + " characters");
        }
        DocumentType type = null;
        String typeName = record.get(1).toUpperCase(Locale.ROOT);
        try {
            type = DocumentType.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            // handled below
        }
        if (type == null || type == DocumentType.DOCUMENT_TYPE_UNSPECIFIED || type == DocumentType.UNRECOGNIZED) {
            problems.add(at(name, line, 2) + ": '" + printable(record.get(1)) + "' is not one of RESIDENT_ID, PASSPORT, HK_MACAU_PERMIT");
        }
        String number = record.get(2);
        if (number.isEmpty()) {
            problems.add(at(name, line, 3) + ": is empty");
        }
        String phone = record.size() > 3 ? record.get(3) : "";
        if (!phone.isEmpty() && !phone.matches("\\+?[0-9]{5,15}")) {
            problems.add(at(name, line, 4) + ": not a phone number (digits only)");
        }
        String province = record.size() > 4 ? record.get(4) : "";
        if (!province.isEmpty() && !province.matches("[0-9]{2}")) {
            problems.add(at(name, line, 5) + ": '" + printable(province) + "' is not a two-digit province code (GB/T 2260, e.g. 61)");
        }
        if (problems.size() > before) {
            return null;
        }
        return new Entry(line, entryId, TravelerKey.newBuilder().setDocumentType(type).setDocumentNumber(number)
                .setPhoneNumber(phone).setIssuingProvince(province).build());
    }

    /**
     * A cell echoed in an error: short values only, and never a document or phone number (a
     * number in the wrong column is personal data all the same).
     */
    private static String printable(String value) {
        String clipped = value.length() > 24 ? value.substring(0, 24) + "..." : value;
        return clipped.chars().anyMatch(Character::isDigit) && clipped.length() > 6 ? "(" + value.length() + " characters)" : clipped;
    }

    /** The column names, for help texts. */
    static String columns() {
        return String.join(",", COLUMNS);
    }

    static List<String> documentTypes() {
        return Arrays.stream(DocumentType.values()).filter(t -> t != DocumentType.DOCUMENT_TYPE_UNSPECIFIED && t != DocumentType.UNRECOGNIZED)
                .map(Enum::name).toList();
    }
}

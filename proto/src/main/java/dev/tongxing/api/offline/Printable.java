package dev.tongxing.api.offline;

/** Echoes a value taken from an untrusted code or list into a message: short, and printable ASCII only. */
final class Printable {

    private static final int MAX = 40;

    private Printable() {}

    static String of(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < MAX; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return value.length() > MAX ? out + "..." : out.toString();
    }
}

package dev.tongxing.cli;

import dev.tongxing.api.offline.EcKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import picocli.CommandLine;

/** The ministry's public key, which a trust list must verify with: given as base64 or PEM, or {@code @file}. */
final class MinistryKey {

    private MinistryKey() {}

    /** @throws CommandLine.ParameterException naming the option when the key is missing or unreadable */
    static ECPublicKey read(String value, CommandLine command) {
        if (value == null || value.isBlank()) {
            throw new CommandLine.ParameterException(command,
                    "--ministry-key is required (base64 or PEM, or @file; or set TONGXING_MINISTRY_KEY): a trust list is trusted only with it");
        }
        String text = value.strip();
        if (text.startsWith("@")) {
            try {
                text = Files.readString(Path.of(text.substring(1)));
            } catch (IOException e) {
                throw new CommandLine.ParameterException(command, "--ministry-key: cannot read " + text.substring(1) + ": " + e.getMessage());
            }
        }
        try {
            return EcKeys.publicKey(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, "--ministry-key " + e.getMessage());
        }
    }
}

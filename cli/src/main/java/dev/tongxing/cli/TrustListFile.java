package dev.tongxing.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.tongxing.api.offline.TrustListRefused;
import dev.tongxing.api.v1.SignedTrustList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A signed trust list saved as a file: the proto3 JSON of {@code SignedTrustList}, as the hub exports it. */
final class TrustListFile {

    private TrustListFile() {}

    /** @throws TrustListRefused when the file is missing or not a signed trust list */
    static SignedTrustList read(Path file) {
        SignedTrustList.Builder list = SignedTrustList.newBuilder();
        try {
            JsonFormat.parser().merge(Files.readString(file, StandardCharsets.UTF_8), list);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new TrustListRefused("trust list " + file + " is not a signed trust list (proto3 JSON of SignedTrustList)");
        } catch (IOException e) {
            throw new TrustListRefused("cannot read trust list " + file + ": " + e.getMessage());
        }
        return list.build();
    }

    /** Replaces the file atomically, so a checkpoint reading it never sees half a list. */
    static void write(SignedTrustList list, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path partial = Files.createTempFile(parent, ".trust-list", ".tmp");
            Files.writeString(partial, JsonFormat.printer().print(list) + "\n", StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trust list " + file, e);
        }
    }
}

package dev.tongxing.cli;

import dev.tongxing.api.v1.GetStatusRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tongxing status}: one traveler's unified status. */
@Command(name = "status", description = "Look up one traveler's unified status.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    TongxingCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    KeyMixin traveler;

    @Option(names = "--checkpoint", defaultValue = "", description = "checkpoint id: empty, or the calling client's own (its verdict policy applies either way)")
    String checkpoint;

    @Override
    public Integer call() {
        GetStatusRequest request = GetStatusRequest.newBuilder().setTraveler(traveler.options.toKey()).setCheckpointId(checkpoint).build();
        return cli.printStatus(spec, stub -> stub.getStatus(request));
    }

    /** Picocli mixes in option holders through a class with a {@code @Mixin}-able shape. */
    static final class KeyMixin {
        @ArgGroup(exclusive = false, multiplicity = "1")
        KeyOptions options;
    }
}

package dev.tongxing.adapters;

import dev.tongxing.adapters.carriersms.CarrierSmsFamily;
import dev.tongxing.adapters.envelopejson.EnvelopeJsonFamily;
import dev.tongxing.adapters.nativegrpc.NativeGrpcFamily;
import dev.tongxing.adapters.pinyinjson.PinyinJsonFamily;
import dev.tongxing.adapters.signedjson.SignedJsonFamily;
import dev.tongxing.adapters.travelcard.TravelCardJsonFamily;
import dev.tongxing.adapters.xmllabels.XmlLabelsFamily;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The format families this build knows, by the name configuration uses. */
public final class FormatFamilies {

    private final Map<String, FormatFamily> byName;

    public FormatFamilies(List<FormatFamily> families) {
        this.byName = families.stream().collect(Collectors.toUnmodifiableMap(FormatFamily::name, Function.identity()));
    }

    public static FormatFamilies builtIn() {
        return builtIn(Clock.systemUTC());
    }

    /** The built-in families, judging validity periods by the given clock. */
    public static FormatFamilies builtIn(Clock clock) {
        return new FormatFamilies(List.of(
                new PinyinJsonFamily(clock),
                new TravelCardJsonFamily(),
                new EnvelopeJsonFamily(clock),
                new XmlLabelsFamily(clock),
                new SignedJsonFamily(clock),
                new CarrierSmsFamily(clock),
                new NativeGrpcFamily(clock)));
    }

    /** @throws IllegalArgumentException naming the known families when the name is not one of them */
    public FormatFamily get(String name) {
        FormatFamily family = byName.get(name);
        if (family == null) {
            throw new IllegalArgumentException("unknown format family '" + name + "'; known: " + byName.keySet().stream().sorted().toList());
        }
        return family;
    }
}

package dev.tongxing.simulators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.adapters.FormatFamilies;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceRoutes;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.api.v1.DocumentType;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The simulated Guangdong, Beijing and Shanghai answer in formats their families accept, as demo mode configures them. */
class SimulatedProvincesTest {

    /** Same value as tongxing.sources[shanghai-ssm].options.public-key in hub application.yml (demo only). */
    private static final String DEMO_PUBLIC_KEY = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7g+yueTxcSsN6HDFK042LbGlQKmRl8MlIAauZTUcsyD7tS6dNXCN1blPntiX+M6E575I4e0vzrZrWQHY7NBJqw==";

    @Test
    void demoProvincesAnswerThroughTheRealRoutes() throws Exception {
        SimulatedPopulation population = new SimulatedPopulation(100);
        assertThat(SimulatedPopulation.traveler(0).residentId()).startsWith("6101");
        try (SimulatedSources sources = SimulatedSources.start(0, population, Duration.ZERO, Duration.ZERO, Clock.systemUTC())) {
            String base = sources.baseUrl();
            List<SourceSettings> settings = List.of(
                    settings("guangdong-ykm", "envelope-json", "44", base + GuangdongYkm.PATH, Map.of()),
                    settings("beijing-jkb", "xml-labels", "11", base + BeijingJkb.PATH, Map.of()),
                    settings("shanghai-ssm", "signed-json", "31", base + ShanghaiSsm.PATH, Map.of("public-key", DEMO_PUBLIC_KEY, "kid", ShanghaiSsm.KID)));
            try (SourceRoutes routes = new SourceRoutes(settings, FormatFamilies.builtIn()); DefaultCamelContext camel = new DefaultCamelContext()) {
                camel.addRoutes(routes);
                camel.start();
                ProducerTemplate template = camel.createProducerTemplate();
                for (SourceSettings source : settings) {
                    List<SimulatedTraveler> residents = population.residentsOf(source.province());
                    assertThat(residents).hasSize(10);
                    for (SimulatedTraveler resident : residents) {
                        SourceQuery query = new SourceQuery(DocumentType.RESIDENT_ID, resident.residentId(), "", source.province());
                        SourceAnswer answer = template.requestBody(SourceRoutes.endpointOf(source.id()), query, SourceAnswer.class);
                        assertThat(answer).as(source.id()).isInstanceOf(SourceAnswer.HealthCode.class);
                        String expected = switch (resident.healthColour()) {
                            case "hongma" -> "RED";
                            case "huangma" -> "YELLOW";
                            default -> "GREEN";
                        };
                        assertThat(((SourceAnswer.HealthCode) answer).colour().name()).as(source.id()).isEqualTo(expected);
                    }
                    SourceQuery stranger = new SourceQuery(DocumentType.RESIDENT_ID, SimulatedPopulation.traveler(0).residentId(), "", "61");
                    assertThat(template.requestBody(SourceRoutes.endpointOf(source.id()), stranger, SourceAnswer.class))
                            .isInstanceOf(SourceAnswer.NotFound.class);
                }
            }
        }
    }

    @Test
    void carrierSmsAndSichuanAnswerThroughTheRealRoutes() throws Exception {
        SimulatedPopulation population = new SimulatedPopulation(100);
        assertThat(population.residentsOf("44").get(0)).isEqualTo(SimulatedPopulation.resident("44", 0));
        try (SimulatedSources sources = SimulatedSources.start(0, population, Duration.ZERO, Duration.ZERO, Clock.systemUTC());
             SichuanTfjkt sichuan = SichuanTfjkt.start(0, population, Duration.ZERO, Duration.ZERO, Clock.systemUTC())) {
            SourceSettings sms = new SourceSettings("travel-card-sms", "carrier-sms", SourceKind.TRAVEL_CARD, "00",
                    URI.create(sources.baseUrl() + CarrierSmsGateway.PATH), Duration.ofSeconds(2), ZoneId.of("Asia/Shanghai"), 64 * 1024, "", Map.of());
            SourceSettings grpc = settings("sichuan-tfjkt", "tongxing-grpc", "51", "grpc://127.0.0.1:" + sichuan.port(), Map.of());
            try (SourceRoutes routes = new SourceRoutes(List.of(sms, grpc), FormatFamilies.builtIn()); DefaultCamelContext camel = new DefaultCamelContext()) {
                camel.addRoutes(routes);
                camel.start();
                ProducerTemplate template = camel.createProducerTemplate();
                for (int i = 0; i < 20; i++) {
                    SimulatedTraveler t = SimulatedPopulation.traveler(i);
                    SourceAnswer card = template.requestBody(SourceRoutes.endpointOf("travel-card-sms"),
                            new SourceQuery(DocumentType.RESIDENT_ID, t.residentId(), t.phone(), "61"), SourceAnswer.class);
                    assertThat(card).isInstanceOfSatisfying(SourceAnswer.TravelCard.class, c -> {
                        assertThat(c.colour().name()).isEqualTo("TRAVEL_" + t.cardColour().toUpperCase(java.util.Locale.ROOT));
                        assertThat(c.cities()).hasSameSizeAs(t.cities());
                    });
                }
                assertThat(template.requestBody(SourceRoutes.endpointOf("travel-card-sms"),
                        new SourceQuery(DocumentType.RESIDENT_ID, "610102199001011234", "13700000000", "61"), SourceAnswer.class))
                        .isInstanceOf(SourceAnswer.NotFound.class);

                List<SimulatedTraveler> residents = population.residentsOf("51");
                assertThat(residents).hasSize(10).allSatisfy(r -> assertThat(r.residentId()).startsWith("5101"));
                for (SimulatedTraveler resident : residents) {
                    SourceAnswer answer = template.requestBody(SourceRoutes.endpointOf("sichuan-tfjkt"),
                            new SourceQuery(DocumentType.RESIDENT_ID, resident.residentId(), "", "51"), SourceAnswer.class);
                    assertThat(answer).isInstanceOfSatisfying(SourceAnswer.HealthCode.class, code -> assertThat(code.colour().name())
                            .isEqualTo(switch (resident.healthColour()) {
                                case "hongma" -> "RED";
                                case "huangma" -> "YELLOW";
                                default -> "GREEN";
                            }));
                }
                SourceQuery stranger = new SourceQuery(DocumentType.RESIDENT_ID, SimulatedPopulation.traveler(0).residentId(), "", "61");
                assertThat(template.requestBody(SourceRoutes.endpointOf("sichuan-tfjkt"), stranger, SourceAnswer.class))
                        .isInstanceOf(SourceAnswer.NotFound.class);
            }
        }
    }

    private static SourceSettings settings(String id, String family, String province, String url, Map<String, String> options) {
        return new SourceSettings(id, family, SourceKind.HEALTH_CODE, province, URI.create(url), Duration.ofSeconds(2),
                ZoneId.of("Asia/Shanghai"), 256 * 1024, "", options);
    }
}
